import type { Attributes } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { OpenInferenceSpanKind, SemanticConventions as SC } from "@arizeai/openinference-semantic-conventions";
import { isRecord } from "../guards";
import type { PriceTable } from "../pricing/price-table";
import { AppAttributes } from "./attributes";
import type { SpanTransform } from "./span-transform";

/**
 * Completes LLM spans: `llm.provider` and `llm.model_name` from LangChain's
 * `ls_provider`/`ls_model_name` run metadata when the instrumentation left them out, and
 * `llm.cost.*` in USD from the token counts and the price table. One transform for every
 * LLM span, not code at each call site: the agent's, the eval judge's, a fork's new chain's.
 */
export function llmCostTransform(prices: PriceTable): SpanTransform {
  return (span: ReadableSpan) => {
    const attributes = span.attributes;
    if (attributes[SC.OPENINFERENCE_SPAN_KIND] !== OpenInferenceSpanKind.LLM) return undefined;
    const patch: Attributes = {};
    const metadata = parseMetadata(attributes[SC.METADATA]);
    const provider = firstString(attributes[SC.LLM_PROVIDER], metadata.ls_provider);
    const model = firstString(attributes[SC.LLM_MODEL_NAME], metadata.ls_model_name);
    if (provider && attributes[SC.LLM_PROVIDER] === undefined) patch[SC.LLM_PROVIDER] = provider;
    if (model && attributes[SC.LLM_MODEL_NAME] === undefined) patch[SC.LLM_MODEL_NAME] = model;

    const promptTokens = attributes[SC.LLM_TOKEN_COUNT_PROMPT];
    const completionTokens = attributes[SC.LLM_TOKEN_COUNT_COMPLETION];
    if (model && typeof promptTokens === "number" && typeof completionTokens === "number" && attributes[SC.LLM_COST_TOTAL] === undefined) {
      const cost = prices.costOf(model, { promptTokens, completionTokens });
      if (cost) {
        patch[SC.LLM_COST_PROMPT] = cost.prompt;
        patch[SC.LLM_COST_COMPLETION] = cost.completion;
        patch[SC.LLM_COST_TOTAL] = cost.total;
        // So a cost can be traced back to the prices it used.
        patch[AppAttributes.PRICE_TABLE_VERSION] = prices.version;
      }
    }
    return Object.keys(patch).length > 0 ? { attributes: patch } : undefined;
  };
}

function parseMetadata(value: unknown): Record<string, unknown> {
  if (typeof value !== "string") return {};
  try {
    const parsed: unknown = JSON.parse(value);
    return isRecord(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

function firstString(...values: unknown[]): string | undefined {
  return values.find((v): v is string => typeof v === "string" && v.length > 0);
}
