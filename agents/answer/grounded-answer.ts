import type { CorpusVocabulary } from "@/lib/vectorstore/corpus-vocabulary";
import { SemanticConventions as SC } from "@arizeai/openinference-semantic-conventions";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { Span } from "@opentelemetry/api";
import type { Embedder } from "@/lib/embeddings/types";
import { withInventedFigures } from "@/lib/faults/invented-figures";
import type { Turn } from "@/lib/sessions/session-store";
import { AppAttributes } from "@/lib/telemetry/attributes";
import { ioAttributes, OpenInferenceSpanKind, withSpan } from "@/lib/telemetry/spans";
import type { ScoredChunk } from "@/lib/vectorstore/types";
import type { AgentStep } from "../contract";
import { evidenceText, selectEvidence, type Evidence } from "../evidence";
import {
  buildGroundedMessages,
  formatEvidence,
  GROUNDED_ANSWER_PROMPT,
  GROUNDED_SYSTEM_PROMPT,
  GROUNDED_USER_TEMPLATE,
} from "../prompts/grounded-answer";
import type { Prompt } from "../prompts/prompt";
import { askedQuestion, evidenceQuery } from "../retrieve-context";
import { abstentionText, decideAbstention, identifiersIn } from "./abstention";
import { guardAnswer, quote, type GuardedAnswer } from "./answer-guard";
import { postprocess, streamModel, streamText, type Responder } from "./stream-answer";

export interface GroundedAnswerInput {
  message: string;
  history: Turn[];
  passages: ScoredChunk[];
  embedder: Embedder;
  chatModel: BaseChatModel;
  out: Responder;
  usePrompt: (prompt: Prompt) => void;
  /** Check the answer before it is shown (ANSWER_GUARDS); off streams the model's text unchecked. */
  guards: boolean;
  /** The corpus's content words, for the abstention's unknown-terms signal (absent: that signal is off). */
  corpusVocabulary?: () => Promise<CorpusVocabulary>;
  /** Records the check's verdict as an agent step (the client and the trace see it). */
  recordCheck: (step: Extract<AgentStep, { type: "answer_check" }>) => void;
}

/** The `prompt_assembly` span: evidence units in the grounded prompt, with the template, its variables and the prompt's version. */
function assemblePrompt(input: GroundedAnswerInput) {
  const { message, history, passages } = input;
  return withSpan("prompt_assembly", { kind: OpenInferenceSpanKind.CHAIN }, async (span) => {
    const evidence = await selectEvidence(input.embedder, evidenceQuery(message, history), passages);
    const variables = { question: message, facts: formatEvidence(evidence) };
    span.setAttributes({
      ...ioAttributes("input", { question: message, chunks: passages.map((c) => c.id) }),
      ...ioAttributes("output", variables.facts),
      [SC.PROMPT_TEMPLATE_TEMPLATE]: `${GROUNDED_SYSTEM_PROMPT}\n\n${GROUNDED_USER_TEMPLATE}`,
      [SC.PROMPT_TEMPLATE_VARIABLES]: JSON.stringify(variables),
      [SC.PROMPT_TEMPLATE_VERSION]: GROUNDED_ANSWER_PROMPT.id,
    });
    return { evidence, messages: buildGroundedMessages(message, evidence, history) };
  });
}

/** The verdict on the `postprocess` span, where Phoenix shows it beside the text it judged. */
function recordVerdict(span: Span, guarded: GuardedAnswer, input: GroundedAnswerInput): string {
  const { reason } = guarded;
  span.setAttributes({
    [AppAttributes.ANSWER_GUARD_VERDICT]: guarded.verdict,
    [AppAttributes.ANSWER_GUARD_REASON]: reason,
    [AppAttributes.ANSWER_GUARD_UNSUPPORTED]: guarded.unsupported.length,
  });
  input.recordCheck({ type: "answer_check", verdict: guarded.verdict, reason, unsupported: guarded.unsupported.length });
  return guarded.text;
}

async function abstainOrGenerate(input: GroundedAnswerInput, evidence: Evidence[], messages: Parameters<BaseChatModel["stream"]>[0]) {
  const vocabulary = input.corpusVocabulary ? await input.corpusVocabulary() : undefined;
  // A follow-up is judged as the question it was rewritten into: "and the other model?" names no subject of its own.
  const reason = await decideAbstention({
    question: askedQuestion(input.message, input.history),
    passages: input.passages,
    evidence,
    vocabulary,
    embedder: input.embedder,
  });
  if (reason) return { draft: abstentionText(reason, input.passages), reason: reason.kind, abstained: true };
  // Buffered, not streamed: the answer is one sentence (a second or two on the local model),
  // and text the check would reject must never reach the screen.
  const draft = withInventedFigures(await streamModel(input.chatModel, messages, input.out, false));
  return { draft, reason: "generated", abstained: false };
}

/** The plain "I don't know" after generation; for a figure about another subject, with what the documents do say about the one asked. */
function declineText(guarded: GuardedAnswer, question: string, evidence: readonly Evidence[], passages: readonly ScoredChunk[]): string {
  if (guarded.reason !== "other_subject") return abstentionText({ kind: "not_in_evidence" }, passages);
  const identifiers = identifiersIn(question);
  const about = [...evidence].reverse().filter((e) => identifiersIn(evidenceText(e)).some((id) => identifiers.includes(id)));
  const said =
    about.length > 0 ? `\nWhat they say about ${identifiers.join(" or ")}:\n${about.map((e) => `- ${quote(e)}`).join("\n")}` : "";
  return `${abstentionText({ kind: "no_figure_for", identifiers }, passages)}${said}`;
}

/**
 * The answer from retrieved passages: the evidence units that best match the question (see
 * ../evidence.ts) in the grounded prompt. With guards on, the knowledge base may first decline
 * (./abstention.ts), and the model's text is checked before it is shown (./answer-guard.ts);
 * with guards off it streams live, unchecked.
 */
export async function groundedAnswer(input: GroundedAnswerInput): Promise<string> {
  input.usePrompt(GROUNDED_ANSWER_PROMPT);
  const { evidence, messages } = await assemblePrompt(input);
  if (!input.guards) {
    const raw = await streamModel(input.chatModel, messages, input.out);
    // Unchecked text streams as it comes, so an injected claim (answers=invent) is streamed too.
    const invented = withInventedFigures(raw);
    if (invented !== raw) input.out.emit(invented.slice(raw.trimEnd().length));
    return postprocess(invented, () => invented.trim());
  }
  const { draft, reason, abstained } = await abstainOrGenerate(input, evidence, messages);
  const answer = await postprocess(draft, (span) => {
    if (abstained) return recordVerdict(span, { text: draft, verdict: "abstained", unsupported: [], reason }, input);
    const guarded = guardAnswer({ question: input.message, draft, evidence });
    // The model declined, took its figure from another subject, or failed the check with nothing to quote instead: say so, plainly.
    if (guarded.verdict === "abstained" || (guarded.verdict === "repaired" && evidence.length === 0)) {
      const text = declineText(guarded, input.message, evidence, input.passages);
      return recordVerdict(span, { ...guarded, text, verdict: "abstained" }, input);
    }
    return recordVerdict(span, guarded, input);
  });
  return streamText(answer, input.out);
}
