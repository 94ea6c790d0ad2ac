import type { Tracer } from "@opentelemetry/api";
import type { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { SqliteSpanExporter } from "@/lib/telemetry/trace-log/sqlite-span-exporter";
import type { TraceLog } from "@/lib/telemetry/trace-log/trace-log";
import { tracerExportingTo } from "@/test-support/trace-log/recorded-traces";

/**
 * Requests shaped like the app's, written into a real trace log through a real tracer and the
 * log's exporter, at explicit times: monitoring tests state the numbers. The writer lives in
 * lib/monitoring/simulated-requests.ts (`npm run alerts:simulate` uses it too).
 */
export { recordRequest } from "@/lib/monitoring/simulated-requests";

/** A tracer whose spans land in `log` as the server's would; flush with `provider.forceFlush()`. */
export function tracerInto(log: TraceLog): { tracer: Tracer; provider: BasicTracerProvider } {
  return tracerExportingTo(new SqliteSpanExporter(log, { retentionDays: 0 }));
}
