import type { Attributes } from "@opentelemetry/api";
import { REDACTED_VALUE, type TraceConfig } from "@arizeai/openinference-core";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { SemanticConventions } from "@arizeai/openinference-semantic-conventions";
import { AppAttributes } from "./attributes";
import { mustSucceed, type SpanTransform } from "./span-transform";

// Attributes that carry what the user typed under names OpenInference's own masking does not
// cover: the app's planned tool arguments, the text an embedding was made of, a prompt
// template's variables (the question, the history).
const INPUT_ATTRIBUTES = [AppAttributes.ROUTE_PLAN, SemanticConventions.PROMPT_TEMPLATE_VARIABLES];
const EMBEDDING_TEXT = /^embedding\.embeddings\.\d+\.embedding\.text$/;
// Exception messages quote what failed to parse, often the model's echo of the question.
const EXCEPTION_TEXT = ["exception.message", "exception.stacktrace"];

/**
 * OPENINFERENCE_HIDE_INPUTS / _OUTPUTS for the whole span, not only for `input.value`,
 * `output.value` and LLM messages (which OpenInference masks where the span is written):
 * with either switch on, no attribute or event of a stored or exported span carries the
 * user's text. Like secret redaction it must succeed, or the span is dropped.
 */
export function hiddenIoTransform(privacy: TraceConfig): SpanTransform {
  const hideInputs = privacy.hideInputs || privacy.hideInputText;
  const hideAny = hideInputs || privacy.hideOutputs || privacy.hideOutputText;
  return mustSucceed((span: ReadableSpan) => {
    if (!hideAny) return undefined;
    let attributes: Attributes | undefined;
    if (hideInputs) {
      for (const key of Object.keys(span.attributes)) {
        if ((INPUT_ATTRIBUTES as string[]).includes(key) || EMBEDDING_TEXT.test(key)) (attributes ??= {})[key] = REDACTED_VALUE;
      }
      // An output made of the user's words (the rewritten query) is an input by another name.
      if (span.attributes[AppAttributes.OUTPUT_QUOTES_INPUT] === true && span.attributes[SemanticConventions.OUTPUT_VALUE] !== undefined) {
        (attributes ??= {})[SemanticConventions.OUTPUT_VALUE] = REDACTED_VALUE;
      }
    }
    let eventsChanged = false;
    const events = span.events.map((event) => {
      const hidden = Object.keys(event.attributes ?? {}).filter((k) => EXCEPTION_TEXT.includes(k));
      if (hidden.length === 0) return event;
      eventsChanged = true;
      return { ...event, attributes: { ...event.attributes, ...Object.fromEntries(hidden.map((k) => [k, REDACTED_VALUE])) } };
    });
    if (!attributes && !eventsChanged) return undefined;
    return { ...(attributes ? { attributes } : {}), ...(eventsChanged ? { events } : {}) };
  });
}
