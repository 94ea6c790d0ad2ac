import { AppError } from "@/lib/errors";
import type { RunCodeLimits } from "@/lib/sandbox/run-code";
import { abstentionEvaluator } from "./abstention";
import { claimCheckEvaluator } from "./claim-check";
import { contentSupportEvaluator } from "./content-support";
import { codeCorrectnessEvaluator } from "./code-correctness";
import { codeReadabilityEvaluator } from "./code-readability";
import { faithfulnessJudgeEvaluator, type FaithfulnessOptions } from "./faithfulness-judge";
import { costEvaluator, latencyEvaluator, type LatencyCostOptions } from "./latency-cost";
import { qaJudgeEvaluator } from "./qa-judge";
import { factsEvaluator, numbersEvaluator } from "./qa-correctness";
import { retrievalEvaluators } from "./retrieval";
import { routingEvaluator } from "./routing";
import { errorScore } from "./score";
import { summarizationEvaluators, type SummarizationOptions } from "./summarization";
import { summaryFaithfulnessEvaluator } from "./summarization-judge";
import { toxicityJudgeEvaluator } from "./toxicity-judge";
import { toxicityClassifierEvaluator } from "./toxicity-classifier";
import { toxicityLexiconEvaluator } from "./toxicity-lexicon";
import type { EvalCase, EvalContext, EvalScore, Evaluator, EvaluatorKind } from "./types";

/** The evaluator registry: every evaluator, configured once, and a helper to score one case. */

export type { EvalCase, EvalContext, EvalScore, Evaluator, EvaluatorKind } from "./types";

export interface EvaluatorOptions extends LatencyCostOptions {
  /** Retrieval cut-off (RETRIEVAL_K). Default 4. */
  k?: number;
  /** Only these kinds, e.g. ["CODE"] for a run without a judge model. Default both. */
  kinds?: readonly EvaluatorKind[];
  faithfulness?: FaithfulnessOptions;
  summarization?: SummarizationOptions;
  /** Sandbox limits for code.tests. */
  codeLimits?: Partial<RunCodeLimits>;
  /** Minimum share of a fact's words an answer must contain to state it (qa.facts). Default 0.7. */
  minFactWordShare?: number;
}

export function allEvaluators(options: EvaluatorOptions = {}): Evaluator[] {
  const evaluators: Evaluator[] = [
    ...retrievalEvaluators({ k: options.k }),
    claimCheckEvaluator(),
    contentSupportEvaluator(),
    faithfulnessJudgeEvaluator(options.faithfulness),
    factsEvaluator({ minWordShare: options.minFactWordShare }),
    numbersEvaluator(),
    qaJudgeEvaluator(),
    abstentionEvaluator(),
    toxicityLexiconEvaluator(),
    toxicityClassifierEvaluator(),
    toxicityJudgeEvaluator(),
    ...summarizationEvaluators(options.summarization),
    summaryFaithfulnessEvaluator({
      maxSourceChars: options.faithfulness?.maxContextChars,
      unfaithfulAtOrBelow: options.faithfulness?.unfaithfulAtOrBelow,
    }),
    codeCorrectnessEvaluator({ limits: options.codeLimits }),
    codeReadabilityEvaluator(),
    routingEvaluator(),
    latencyEvaluator(options),
    costEvaluator(options),
  ];
  const kinds = options.kinds ?? ["CODE", "LLM"];
  return evaluators.filter((e) => kinds.includes(e.kind));
}

export interface NamedScore extends EvalScore {
  evaluator: string;
  kind: EvaluatorKind;
}

/**
 * Runs every evaluator that applies to the case, one after another (LLM judges share one local
 * model, so running them in parallel would only queue). An evaluator that throws anything but
 * an abort gives an `evaluator_error` score; an abort rejects.
 */
export async function evaluateCase(c: EvalCase, evaluators: readonly Evaluator[], ctx: EvalContext): Promise<NamedScore[]> {
  const scores: NamedScore[] = [];
  for (const evaluator of evaluators) {
    if (ctx.signal?.aborted) throw new AppError("aborted", "The evaluation was aborted");
    let applies: boolean;
    let score: EvalScore;
    try {
      applies = evaluator.appliesTo(c);
      if (!applies) continue;
      score = await evaluator.evaluate(c, ctx);
    } catch (error) {
      if (ctx.signal?.aborted || (error instanceof AppError && error.code === "aborted")) throw error;
      score = errorScore("evaluator_error", error);
    }
    scores.push({ evaluator: evaluator.name, kind: evaluator.kind, ...score });
  }
  return scores;
}
