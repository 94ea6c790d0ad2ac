import { wilsonInterval } from "@/lib/math/wilson";
import { seededRandom } from "../seeded-shuffle";
import { binaryMetrics, type Prediction } from "./metrics";

/** A 95 % interval, [low, high]. */
export type Interval = [number, number];

export interface JudgeFigures {
  n: number;
  precision: number;
  recall: number;
  f1: number;
  accuracy: number;
  /** Mean of recall on each class: what a judge that always says the same thing scores 0.5 on. */
  balancedAccuracy: number;
  intervals: { precision: Interval; recall: Interval; accuracy: Interval; f1: Interval; balancedAccuracy: Interval };
}

function balancedAccuracyOf(predictions: readonly Prediction[]): number {
  const m = binaryMetrics(predictions);
  const specificity = m.tn + m.fp === 0 ? 0 : m.tn / (m.tn + m.fp);
  return (m.recall + specificity) / 2;
}

const round = (x: number) => Number(x.toFixed(4));
const wilson = (successes: number, n: number): Interval => {
  const { low, high } = wilsonInterval(successes, n);
  return [round(low), round(high)];
};

/** Percentile bootstrap over items (seeded, so the interval is reproducible). */
function bootstrap(
  predictions: readonly Prediction[],
  statistic: (p: readonly Prediction[]) => number,
  seed: number,
  rounds = 1000,
): Interval {
  const random = seededRandom(seed);
  const values: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const sample = predictions.map(() => predictions[Math.floor(random() * predictions.length)]!);
    values.push(statistic(sample));
  }
  values.sort((a, b) => a - b);
  return [round(values[Math.floor(rounds * 0.025)] ?? 0), round(values[Math.ceil(rounds * 0.975) - 1] ?? 0)];
}

/**
 * A judge's figures on labeled items with 95 % intervals: Wilson for the proportions
 * (precision over flagged items, recall over positives, accuracy over all), a seeded
 * percentile bootstrap for F1 and balanced accuracy. Items the judge could not judge are left out.
 */
export function judgeFigures(predictions: readonly Prediction[], seed = 42): JudgeFigures {
  const judged = predictions.filter((p) => p.predicted !== undefined);
  const m = binaryMetrics(judged);
  return {
    n: m.n,
    precision: round(m.precision),
    recall: round(m.recall),
    f1: round(m.f1),
    accuracy: round(m.accuracy),
    balancedAccuracy: round(balancedAccuracyOf(judged)),
    intervals: {
      precision: wilson(m.tp, m.tp + m.fp),
      recall: wilson(m.tp, m.tp + m.fn),
      accuracy: wilson(m.tp + m.tn, m.n),
      f1: bootstrap(judged, (p) => binaryMetrics(p).f1, seed),
      balancedAccuracy: bootstrap(judged, balancedAccuracyOf, seed + 1),
    },
  };
}
