import { requestMeasures, type RequestMeasures } from "@/lib/telemetry/request-measures";
import type { TraceStore } from "@/lib/telemetry/trace-log/trace-store";

/** Latency and cost of one example from its trace in the log (the definition monitoring uses too); undefined when it is not there. */
export async function measuresFromTrace(log: Pick<TraceStore, "trace">, traceId: string): Promise<RequestMeasures | undefined> {
  return requestMeasures(await log.trace(traceId));
}
