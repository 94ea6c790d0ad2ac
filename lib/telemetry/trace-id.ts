import { randomBytes } from "node:crypto";
import { trace } from "@opentelemetry/api";

/** The active OpenTelemetry trace id, or a fresh random one when tracing is off. */
export function currentTraceId(): string {
  const context = trace.getActiveSpan()?.spanContext();
  if (context && trace.isSpanContextValid(context)) return context.traceId;
  return randomBytes(16).toString("hex");
}
