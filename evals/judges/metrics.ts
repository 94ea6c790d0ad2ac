/**
 * Binary classification metrics for a judge against labels. The positive class is the problem
 * the judge must catch (hallucinated, toxic, unfaithful). Errors (a judge that could not
 * answer) are counted apart and left out of the confusion matrix.
 */

export interface Prediction {
  /** The human label: true = positive (hallucinated / toxic / unfaithful). */
  label: boolean;
  /** The judge's verdict; undefined when it failed. */
  predicted?: boolean;
}

export interface BinaryMetrics {
  /** Items with a verdict. */
  n: number;
  errors: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
  accuracy: number;
  /** Share of positives among the items with a verdict (precision of a judge that always says "positive"). */
  positiveRate: number;
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

export function binaryMetrics(predictions: readonly Prediction[]): BinaryMetrics {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  let errors = 0;
  for (const p of predictions) {
    if (p.predicted === undefined) errors += 1;
    else if (p.predicted && p.label) tp += 1;
    else if (p.predicted) fp += 1;
    else if (p.label) fn += 1;
    else tn += 1;
  }
  const n = tp + fp + tn + fn;
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  return {
    n,
    errors,
    tp,
    fp,
    tn,
    fn,
    precision,
    recall,
    f1: ratio(2 * precision * recall, precision + recall),
    accuracy: ratio(tp + tn, n),
    positiveRate: ratio(tp + fn, n),
  };
}
