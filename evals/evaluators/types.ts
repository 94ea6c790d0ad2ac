import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { ErrorInfo } from "@/lib/errors";
import type { DatasetExample } from "@/lib/datasets/dataset-example";
import type { Embedder } from "@/lib/embeddings/types";

/**
 * The contract between evaluators and the eval runner. An evaluator looks at one replayed
 * example (`EvalCase`) and returns one score; the runner decides which evaluators apply,
 * aggregates the scores and attaches them to the example's trace (annotator kind = `kind`).
 */

/** CODE: deterministic (the same case always scores the same). LLM: a judge model decides. */
export type EvaluatorKind = "CODE" | "LLM";

/** How a judge decides: a rule, a classifier trained on labeled data, or a language model. */
export type JudgeKind = "CODE" | "learned" | "LLM";

export interface EvalScore {
  /** In [0, 1]; higher is better for every evaluator (1 = no hallucination, not toxic, all tests pass…). */
  score: number;
  /** A short machine-friendly verdict ("hit", "unfaithful", "judge_error"…). */
  label: string;
  /** One or two sentences a person reads in the report. */
  explanation: string;
  /**
   * Set when the evaluator could not judge (label "judge_error" / "evaluator_error"): the score
   * is then 0 by convention and a runner should report it apart rather than average it in.
   */
  error?: ErrorInfo;
  /** Numbers behind the score, for reports (e.g. `{ relevantAt: "1,3", k: 4 }`). */
  details?: Record<string, number | string | boolean>;
}

/** A chunk the agent retrieved (the `sources` event / the retriever span's documents). */
export interface RetrievedContext {
  id: string;
  docId: string;
  title: string;
  text: string;
  score: number;
}

/** What a tool call produced, as the agent observed it. */
export interface ToolOutput {
  tool: string;
  input: unknown;
  output?: string;
  error?: ErrorInfo;
}

/** One dataset example after the real agent answered it. */
export interface EvalCase {
  /** expected.answer / facts / docIds / route / tests, and tags. */
  example: DatasetExample;
  /** The agent's final answer. */
  answer: string;
  /** The route from the agent's steps. */
  route?: string;
  /** Chunks the agent retrieved, best first (empty if none). */
  retrieved: RetrievedContext[];
  toolOutputs: ToolOutput[];
  /** The JS the agent ran with run_code, if any. */
  code?: string;
  latencyMs: number;
  costUsd?: number;
  promptTokens?: number;
  completionTokens?: number;
}

/** The judge is any LangChain chat model (the local GGUF model, OpenAI, or a scripted test stand-in). */
export type JudgeModel = BaseChatModel;

export interface EvalContext {
  /** Required by LLM evaluators; without it they return a `judge_error` score. */
  judge?: JudgeModel;
  /** Required by the learned judges that read embeddings (the app's embedding model). */
  embedder?: Embedder;
  signal?: AbortSignal;
  /**
   * Whether judges explain their verdict in a sentence. Default: yes, except for the embedded
   * llama.cpp model, whose reasons are noise ("1990; 1990; 1990…") and cost about a second a call.
   */
  judgeReasons?: boolean;
}

export interface Evaluator {
  /** e.g. "retrieval.ndcg@4", "hallucination.judge", "qa.facts". */
  name: string;
  kind: EvaluatorKind;
  /**
   * For a judge (an evaluator whose verdict is measured against labeled data, see
   * evals/judges/qualification.json): what its qualification is tied to. A rule's version, a
   * classifier's weights hash, an LLM judge's prompt hash; a change makes it unqualified until
   * `npm run eval:judges` measures it again.
   */
  judge?: { kind: JudgeKind; version: string };
  /** Whether this evaluator has anything to say about the case (e.g. retrieval only with expected.docIds). */
  appliesTo(c: EvalCase): boolean;
  /** Never rejects for a judge's bad output (that is a `judge_error` score); rejects only when `signal` aborts. */
  evaluate(c: EvalCase, ctx: EvalContext): Promise<EvalScore>;
}
