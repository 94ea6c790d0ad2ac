import { z } from "zod";
import { durationSchema } from "./duration";
import { AGGREGATIONS, AGGREGATIONS_BY_KIND, metricDefinition, type MetricKind } from "./metrics";
import { GROUP_DIMENSIONS } from "./request-facts";

/**
 * The schema of monitoring/alerts.yaml (documented in the README's Monitoring section). Field
 * names are snake_case as written in the file; durations are parsed to milliseconds here.
 */

export const STATISTICAL_TESTS = ["two_proportion_z", "wilson", "mann_whitney", "bootstrap", "poisson"] as const;
export type StatisticalTest = (typeof STATISTICAL_TESTS)[number];

/** Which tests fit which kind of metric: a proportion is not a latency distribution. */
const TESTS_BY_KIND: Record<MetricKind, readonly StatisticalTest[]> = {
  proportion: ["two_proportion_z", "wilson"],
  distribution: ["mann_whitney", "bootstrap"],
  count: ["poisson"],
};

const thresholdSchema = z
  .strictObject({
    type: z.literal("threshold"),
    direction: z.enum(["above", "below"]),
    warning: z.number().optional(),
    alert: z.number(),
  })
  .refine((c) => c.warning === undefined || (c.direction === "above" ? c.warning <= c.alert : c.warning >= c.alert), {
    message: "must be reached before the alert level (at most alert for above, at least alert for below)",
    path: ["warning"],
  });

const baselineSpecSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("previous_period"),
    /** How many windows before the current one make up the baseline. */
    periods: z.number().int().min(1).max(10_000).default(4),
    /**
     * Windows left out between the baseline and the current one, so a regression that lasts does
     * not become its own baseline within a few windows (and resolve while it still runs).
     */
    skip: z.number().int().min(0).max(10_000).default(0),
  }),
  z.strictObject({
    kind: z.literal("previous_version"),
    dimension: z.enum(["app_version", "prompt_version"]),
    /** How far back the previous version's requests are looked for. */
    lookback: durationSchema.default(604_800_000),
  }),
]);

const minEffectSchema = z.union([z.strictObject({ relative: z.number().min(0) }), z.strictObject({ absolute: z.number().min(0) })]);

const baselineConditionSchema = z
  .strictObject({
    type: z.literal("baseline"),
    baseline: baselineSpecSchema,
    test: z.enum(STATISTICAL_TESTS),
    direction: z.enum(["increase", "decrease"]),
    alpha: z.number().gt(0).lt(0.5).default(0.01),
    /** A looser significance level for the warning level; none: no warning level. */
    warning_alpha: z.number().gt(0).lt(0.5).optional(),
    /** The smallest change worth an alert, relative to the baseline value or absolute. */
    min_effect: minEffectSchema.default({ relative: 0 }),
  })
  .refine((c) => c.warning_alpha === undefined || c.warning_alpha >= c.alpha, {
    message: "must be at least alpha (the warning level is the looser one)",
    path: ["warning_alpha"],
  });

const groupValuesSchema = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

export const alertRuleSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, "must be lowercase letters, digits, - and _ (at most 64)"),
    description: z.string().optional(),
    metric: z
      .string()
      .refine((name) => metricDefinition(name) !== undefined, { message: "is not a known metric (see the README's metric list)" }),
    aggregation: z.enum(AGGREGATIONS),
    filter: z.partialRecord(z.enum(GROUP_DIMENSIONS), groupValuesSchema).default({}),
    group_by: z.array(z.enum(GROUP_DIMENSIONS)).default([]),
    window: durationSchema,
    condition: z.discriminatedUnion("type", [thresholdSchema, baselineConditionSchema]),
    /** Windows with fewer samples (current or baseline) count as missing data; not applied to counts. */
    min_samples: z.number().int().min(1).default(1),
    sustained_windows: z.number().int().min(1).max(1_000).default(1),
    /** Least time from a notification to the next firing of the same rule and group. */
    cooldown: durationSchema.default(0),
    /** While firing, notify again this often; unset: once. */
    renotify: durationSchema.optional(),
    missing_data: z.enum(["ok", "alert", "keep"]).default("ok"),
    severity: z.enum(["critical", "warning", "info"]),
    /** An http(s) URL, or a page of this repository (`README.md#runbook-latency`). */
    runbook: z.union([z.url({ protocol: /^https?$/ }), z.string().regex(/^[\w./-]+\.md(#[\w-]+)?$/)], {
      error: "must be an http(s) URL or a .md page of the repository (README.md#runbook-…)",
    }),
  })
  .superRefine((rule, ctx) => {
    const metric = metricDefinition(rule.metric);
    if (!metric) return;
    if (!AGGREGATIONS_BY_KIND[metric.kind].includes(rule.aggregation)) {
      const allowed = AGGREGATIONS_BY_KIND[metric.kind].join(", ");
      ctx.addIssue({ code: "custom", path: ["aggregation"], message: `${metric.name} is a ${metric.kind}: use ${allowed}` });
    }
    const condition = rule.condition;
    if (condition.type !== "baseline") return;
    if (!TESTS_BY_KIND[metric.kind].includes(condition.test)) {
      const allowed = TESTS_BY_KIND[metric.kind].join(" or ");
      ctx.addIssue({ code: "custom", path: ["condition", "test"], message: `${metric.name} is a ${metric.kind}: use ${allowed}` });
    }
    if (condition.test === "poisson" && condition.baseline.kind !== "previous_period") {
      ctx.addIssue({ code: "custom", path: ["condition", "baseline", "kind"], message: "a count is compared with previous periods only" });
    }
  });

export type AlertRule = z.output<typeof alertRuleSchema>;

export const alertRulesFileSchema = z
  .strictObject({ version: z.literal(1), rules: z.array(alertRuleSchema).min(1, "must list at least one rule") })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.rules.forEach((rule, index) => {
      if (seen.has(rule.name)) ctx.addIssue({ code: "custom", path: ["rules", index, "name"], message: "is used by an earlier rule" });
      seen.add(rule.name);
    });
  });

/** How far before a window's end a rule reads requests: the window and its baseline. */
export function ruleLookbackMs(rule: AlertRule): number {
  const { condition, window } = rule;
  if (condition.type !== "baseline") return window;
  return condition.baseline.kind === "previous_period"
    ? window * (condition.baseline.periods + 1)
    : Math.max(window, condition.baseline.lookback);
}
