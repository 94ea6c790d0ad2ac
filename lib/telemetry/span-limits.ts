/**
 * OpenTelemetry keeps 128 attributes per span by default and silently drops the rest; an LLM
 * span with a few messages, tools and a retrieval span with ten documents get there fast.
 */
export const SPAN_LIMITS = { attributeCountLimit: 1024, attributeValueLengthLimit: 64 * 1024, eventCountLimit: 128 };
