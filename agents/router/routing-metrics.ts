import { ROUTES, type RouteName } from "@/agents/routes/registry";

/** Scores router decisions against labels: accuracy, per-route precision/recall, confusion, accuracy at confidence thresholds. */

export interface RoutingReport {
  accuracy: number;
  perRoute: { route: RouteName; precision: number; recall: number; f1: number; support: number }[];
  /** confusion[expected][predicted] */
  confusion: Record<RouteName, Record<RouteName, number>>;
  thresholds: { threshold: number; coverage: number; accuracy: number; kept: number; errors: number }[];
}

export const THRESHOLDS = [0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95] as const;

/** `thresholds[i]`: of the decisions with confidence >= t, how many there are (`kept`, `coverage`) and how many are right. */
export function scoreRouting(outcomes: { expected: RouteName; decision: { route: RouteName; confidence: number } }[]): RoutingReport {
  const confusion = Object.fromEntries(
    ROUTES.map((e) => [e, Object.fromEntries(ROUTES.map((p) => [p, 0])) as Record<RouteName, number>]),
  ) as Record<RouteName, Record<RouteName, number>>;
  let correct = 0;
  for (const o of outcomes) {
    confusion[o.expected][o.decision.route] += 1;
    if (o.expected === o.decision.route) correct++;
  }
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  const perRoute = ROUTES.map((route) => {
    const tp = confusion[route][route];
    const predicted = ROUTES.reduce((s, e) => s + confusion[e][route], 0);
    const support = ROUTES.reduce((s, p) => s + confusion[route][p], 0);
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    return { route, precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
  const thresholds = THRESHOLDS.map((threshold) => {
    const kept = outcomes.filter((o) => o.decision.confidence >= threshold);
    const right = kept.filter((o) => o.expected === o.decision.route).length;
    return {
      threshold,
      coverage: ratio(kept.length, outcomes.length),
      accuracy: ratio(right, kept.length),
      kept: kept.length,
      errors: kept.length - right,
    };
  });
  return { accuracy: ratio(correct, outcomes.length), perRoute, confusion, thresholds };
}
