import { AppAttributes } from "@/lib/telemetry/attributes";
import { ioAttributes, OpenInferenceSpanKind, withSpan } from "@/lib/telemetry/spans";
import type { Turn } from "@/lib/sessions/session-store";
import { rewriteQuery, type QueryRewrite } from "../query-rewrite";

/** The span that shows what a follow-up was rewritten into, before routing (see DESIGN.md's trace shape). */
export const QUERY_REWRITE_SPAN_NAME = "query_rewrite";

/**
 * The turn's query, recorded in a `query_rewrite` CHAIN span when there is a conversation to
 * rewrite against: the message and the previous question in, the query routing and retrieval
 * use out. A first message has nothing to rewrite and no span. Both sides are the user's words,
 * so the privacy switches hide the output with the inputs (OUTPUT_QUOTES_INPUT).
 */
export async function tracedQueryRewrite(message: string, history: readonly Turn[]): Promise<QueryRewrite> {
  if (history.length === 0) return { query: message, rewritten: false };
  return withSpan(QUERY_REWRITE_SPAN_NAME, { kind: OpenInferenceSpanKind.CHAIN }, (span) => {
    const rewrite = rewriteQuery(message, history);
    span.setAttributes({
      ...ioAttributes("input", { message, previousQuestion: rewrite.previousQuestion ?? null }),
      ...ioAttributes("output", rewrite.query),
      [AppAttributes.QUERY_REWRITTEN]: rewrite.rewritten,
      [AppAttributes.OUTPUT_QUOTES_INPUT]: true,
    });
    return Promise.resolve(rewrite);
  });
}
