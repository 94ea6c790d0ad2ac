import type { AttributeValue, Attributes } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { mustSucceed, type SpanTransform } from "./span-transform";

export const REDACTED = "[REDACTED]";

/**
 * Last line of defence for API keys: any attribute or event attribute that contains one of
 * the configured secrets has it replaced before the span is exported or logged. The
 * LangChain instrumentation records invocation parameters, and a fork may log a client's
 * options: neither may leak a key into Phoenix or the trace log.
 */
export function secretRedactionTransform(secrets: (string | undefined)[]): SpanTransform {
  // Short values would redact ordinary words; real keys are long.
  const keys = secrets.filter((s): s is string => typeof s === "string" && s.length >= 8);
  const redactText = (text: string) => keys.reduce((out, key) => (out.includes(key) ? out.split(key).join(REDACTED) : out), text);
  const redactValue = (value: AttributeValue | undefined): AttributeValue | undefined => {
    if (typeof value === "string") return redactText(value);
    if (Array.isArray(value)) {
      const out = value.map((v) => (typeof v === "string" ? redactText(v) : v));
      return out.some((v, i) => v !== value[i]) ? (out as AttributeValue) : value;
    }
    return value;
  };
  const redactAttributes = (attributes: Attributes): Attributes | undefined => {
    let changed: Attributes | undefined;
    for (const [k, v] of Object.entries(attributes)) {
      const clean = redactValue(v);
      if (clean !== v) (changed ??= {})[k] = clean;
    }
    return changed;
  };

  // If redaction fails, the span must not be exported unredacted: it is dropped instead.
  return mustSucceed((span: ReadableSpan) => {
    if (keys.length === 0) return undefined;
    const attributes = redactAttributes(span.attributes);
    let eventsChanged = false;
    const events = span.events.map((event) => {
      const changed = event.attributes ? redactAttributes(event.attributes) : undefined;
      if (!changed) return event;
      eventsChanged = true;
      return { ...event, attributes: { ...event.attributes, ...changed } };
    });
    if (!attributes && !eventsChanged) return undefined;
    return { ...(attributes ? { attributes } : {}), ...(eventsChanged ? { events } : {}) };
  });
}
