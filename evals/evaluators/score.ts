import { toAppError } from "@/lib/errors";
import { groundingSources } from "@/lib/quality/grounding-sources";
import type { EvalCase, EvalScore, Evaluator } from "./types";

/** Helpers every evaluator uses to build its `EvalScore` and read its case. */

/** A score clamped to [0, 1] and rounded to 4 decimals (NaN becomes 0). */
export function makeScore(score: number, label: string, explanation: string, details?: EvalScore["details"]): EvalScore {
  const clamped = Number.isFinite(score) ? Math.min(1, Math.max(0, score)) : 0;
  return { score: Number(clamped.toFixed(4)), label, explanation, ...(details ? { details } : {}) };
}

/**
 * `evaluate` for a CODE evaluator that scores synchronously: a throw becomes a rejection, as it
 * would from an async function, so the runner sees every evaluator fail the same way.
 */
export function syncEvaluate(score: (c: EvalCase) => EvalScore): Evaluator["evaluate"] {
  return (c) => new Promise((resolve) => resolve(score(c)));
}

/**
 * The score of an evaluator that could not judge: 0 by convention, with the error, so a runner
 * can report it apart. A judge's malformed output is one of these, never an exception.
 */
export function errorScore(label: "judge_error" | "evaluator_error", error: unknown): EvalScore {
  const appError = toAppError(error);
  return {
    score: 0,
    label,
    explanation: `Could not evaluate: ${appError.message}`,
    error: appError.toInfo(),
  };
}

/** "a, b, c and 2 more" for explanations. */
export function preview(items: readonly string[], max = 5): string {
  const shown = items.slice(0, max).map((s) => JSON.stringify(s));
  return items.length > max ? `${shown.join(", ")} and ${items.length - max} more` : shown.join(", ");
}

export function hasTag(c: EvalCase, tag: string): boolean {
  return c.example.tags.includes(tag);
}

export function hasAnswer(c: EvalCase): boolean {
  return c.answer.trim().length > 0;
}

/** The question the agent answered: the example's message. */
export function questionOf(c: EvalCase): string {
  return c.example.input.message;
}

/** What the case's answer may rightly draw on (lib/quality/grounding-sources.ts): chunks, tool outputs, the question. */
export function groundingOf(c: EvalCase): string[] {
  return groundingSources({ message: questionOf(c), sources: c.retrieved, toolOutputs: c.toolOutputs });
}
