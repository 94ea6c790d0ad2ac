import { cohensKappa } from "@/lib/math/kappa";
import type { ExampleResult, HumanSignal, JudgeAgreement } from "../runner/types";

export interface AgreementInput {
  examples: readonly ExampleResult[];
  /** The metrics of the judges to compare (LLM, learned and CODE judges). */
  judges: readonly string[];
  passScore: number;
  /** Per production example: the user's 👍 (true) or 👎 (false) on the same answer, where the trace log has one. */
  feedback: ReadonlyMap<string, boolean>;
}

/**
 * The reviewer's expectation says whether an answer is right, not whether it is civil: only the
 * judges of correctness and support (hallucination.*, qa.*) are compared with it. Every judge is
 * compared with the users' 👍/👎, which may be about anything.
 */
const REVIEWER_COMPARABLE = /^(hallucination|qa)\./;

/**
 * How far each judge agrees with people on the production items: the reviewer's expectation
 * (the facts the reviewer wrote when accepting the item; good = the answer states them, i.e.
 * qa.facts passes) and the user's 👍/👎 on the same answer. A judge's verdict is "good" when
 * its score passes. Cohen's kappa with n, for the eval report.
 */
export function humanAgreement(input: AgreementInput): JudgeAgreement[] {
  const production = input.examples.filter((e) => e.dataset === "production");
  const passes = (score: number | undefined) => (score === undefined ? undefined : score >= input.passScore);
  const humanOf: Record<HumanSignal, (e: ExampleResult) => boolean | undefined> = {
    reviewer: (e) => passes(e.scores["qa.facts"]?.error ? undefined : e.scores["qa.facts"]?.score),
    feedback: (e) => input.feedback.get(e.exampleId),
  };
  return input.judges.flatMap((judge) =>
    (REVIEWER_COMPARABLE.test(judge) ? (["reviewer", "feedback"] as const) : (["feedback"] as const)).map((signal) => {
      const pairs = production.flatMap((e): [boolean, boolean][] => {
        const score = e.scores[judge];
        const verdict = score && !score.error ? passes(score.score) : undefined;
        const human = humanOf[signal](e);
        return verdict === undefined || human === undefined ? [] : [[verdict, human]];
      });
      const kappa = cohensKappa(pairs);
      return { judge, signal, n: pairs.length, kappa: Number.isNaN(kappa) ? null : Number(kappa.toFixed(3)) };
    }),
  );
}

/** "κ 0.41 (n = 37)", or "– (n = 0)" when undefined. */
export function formatAgreement(a: Pick<JudgeAgreement, "kappa" | "n">): string {
  return `${a.kappa === null ? "–" : `κ ${a.kappa.toFixed(2)}`} (n = ${a.n})`;
}

/** One line per judge: its kappa against the reviewers and against user feedback. */
export function agreementLines(agreement: readonly JudgeAgreement[]): string[] {
  const judges = [...new Set(agreement.map((a) => a.judge))];
  return judges.map((judge) => {
    const of = (signal: HumanSignal) => agreement.find((a) => a.judge === judge && a.signal === signal);
    const reviewer = of("reviewer");
    const feedback = of("feedback");
    return `${judge}: reviewers ${reviewer ? formatAgreement(reviewer) : "not compared"}, users' 👍/👎 ${feedback ? formatAgreement(feedback) : "–"}`;
  });
}
