import { abstentionReason, type AbstentionInput } from "../../agents/answer/abstention";
import type { LabeledQuestion } from "../../evals/abstention/labeled-questions";

/** One question with every input of the abstention worked out, so cut-offs can vary without searching again. */
export interface PreparedQuestion {
  question: LabeledQuestion;
  input: AbstentionInput;
}

const SIMILARITIES = [0.45, 0.5, 0.55, 0.6, 0.65];
const EVIDENCE_SCORES = [0.6, 0.65, 0.7, 0.75, 0.8, 0.85, Number.POSITIVE_INFINITY];

/**
 * Recall on unanswerable questions and false abstentions on answerable ones for each pair of
 * the unmentioned-subject signal's cut-offs (lib/quality/thresholds.ts): a grid to choose them
 * from, on the dev split only.
 */
export function printSweep(prepared: readonly PreparedQuestion[]): void {
  const unanswerable = prepared.filter((p) => !p.question.answerable).length;
  const answerable = prepared.length - unanswerable;
  console.log(
    `\nSweep (dev): declined unanswerable / ${unanswerable}, false abstentions / ${answerable}, by subject similarity (rows) and evidence score (columns)\n`,
  );
  console.log(`| similarity | ${EVIDENCE_SCORES.map((e) => (Number.isFinite(e) ? `< ${e}` : "any")).join(" | ")} |`);
  console.log(`|---|${EVIDENCE_SCORES.map(() => "---").join("|")}|`);
  for (const subjectSimilarity of SIMILARITIES) {
    const cells = EVIDENCE_SCORES.map((evidenceScore) => {
      let caught = 0;
      let wrong = 0;
      for (const p of prepared) {
        const declined = abstentionReason({ ...p.input, cutoffs: { subjectSimilarity, evidenceScore } }) !== undefined;
        if (declined && p.question.answerable) wrong++;
        if (declined && !p.question.answerable) caught++;
      }
      return `${caught} / ${wrong}`;
    });
    console.log(`| < ${subjectSimilarity} | ${cells.join(" | ")} |`);
  }
}
