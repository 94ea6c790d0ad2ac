import { SemanticConventions as SC } from "@arizeai/openinference-semantic-conventions";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { Embedder } from "@/lib/embeddings/types";
import type { Turn } from "@/lib/sessions/session-store";
import { ioAttributes, OpenInferenceSpanKind, withSpan } from "@/lib/telemetry/spans";
import type { ScoredChunk } from "@/lib/vectorstore/types";
import { selectEvidence } from "../evidence";
import {
  buildGroundedMessages,
  formatEvidence,
  GROUNDED_ANSWER_PROMPT,
  GROUNDED_SYSTEM_PROMPT,
  GROUNDED_USER_TEMPLATE,
} from "../prompts/grounded-answer";
import type { Prompt } from "../prompts/prompt";
import { retrievalQueries } from "../retrieve-context";
import { postprocess, streamModel, type Responder } from "./stream-answer";

export interface GroundedAnswerInput {
  message: string;
  history: Turn[];
  passages: ScoredChunk[];
  embedder: Embedder;
  chatModel: BaseChatModel;
  out: Responder;
  usePrompt: (prompt: Prompt) => void;
}

/**
 * The answer from retrieved passages: the evidence sentences that best match the question
 * (see ../evidence.ts) in the grounded prompt, streamed live. The `prompt_assembly` span
 * records the template, its variables and the prompt's version.
 */
export async function groundedAnswer(input: GroundedAnswerInput): Promise<string> {
  const { message, history, passages } = input;
  input.usePrompt(GROUNDED_ANSWER_PROMPT);
  const messages = await withSpan("prompt_assembly", { kind: OpenInferenceSpanKind.CHAIN }, async (span) => {
    const evidenceQuery = retrievalQueries(message, history).at(-1) ?? message;
    const evidence = await selectEvidence(input.embedder, evidenceQuery, passages);
    const variables = { question: message, facts: formatEvidence(evidence) };
    span.setAttributes({
      ...ioAttributes("input", { question: message, chunks: passages.map((c) => c.id) }),
      ...ioAttributes("output", variables.facts),
      [SC.PROMPT_TEMPLATE_TEMPLATE]: `${GROUNDED_SYSTEM_PROMPT}\n\n${GROUNDED_USER_TEMPLATE}`,
      [SC.PROMPT_TEMPLATE_VARIABLES]: JSON.stringify(variables),
      [SC.PROMPT_TEMPLATE_VERSION]: GROUNDED_ANSWER_PROMPT.id,
    });
    return buildGroundedMessages(message, evidence, history);
  });
  const raw = await streamModel(input.chatModel, messages, input.out);
  return postprocess(raw, () => raw.trim());
}
