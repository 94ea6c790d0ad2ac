import { requestMeasures, type RequestMeasures } from "@/lib/telemetry/request-measures";
import type { TraceLog } from "@/lib/telemetry/trace-log/trace-log";

/** Latency and cost of one example from its trace in the log (the definition monitoring uses too); undefined when it is not there. */
export function measuresFromTrace(log: TraceLog, traceId: string): RequestMeasures | undefined {
  return requestMeasures(log.trace(traceId));
}
