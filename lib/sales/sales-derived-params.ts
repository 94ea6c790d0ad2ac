import { z } from "zod";
import { AppError } from "../errors";
import { enumField, fail, stringOf } from "./param-fields";
import { MONTHS, QUARTERS, type Month, type Quarter } from "./sales-db";
import type { GroupByKey, Metric } from "./sales-dimensions";
import { key, normaliseMonth, normaliseQuarter, shown } from "./sales-value-matching";

/**
 * The derived figures `sales_query` computes beside its plain totals: a part's share of the
 * whole, growth between two periods (or period over period), an average per month or quarter.
 * The parameters name them (`derive`, `shareOf`, `compareTo`, `per`); this module checks they
 * make sense together and resolves them into a `DerivedSpec` the SQL compiler reads. Top-N
 * needs nothing new: it is `groupBy` + `order` + `limit`.
 */

export const DERIVED_MEASURES = ["share", "growth", "average"] as const;
export type DerivedMeasure = (typeof DERIVED_MEASURES)[number];
/** Filters that can be "the part" of a share: the whole is the same query without that filter. */
export const SHARE_OF_KEYS = ["region", "product", "category", "channel", "quarter", "month"] as const;
export type ShareOfKey = (typeof SHARE_OF_KEYS)[number];
export const PER_KEYS = ["month", "quarter", "unit"] as const;
export type PerKey = (typeof PER_KEYS)[number];
/** A `compareTo` before FY2025: asked for, but there are no figures to compare with. */
export const PREVIOUS_YEAR = "previous_year";
export type Period = Quarter | Month;

export const deriveField = enumField("derive", DERIVED_MEASURES, {
  percentage: "share",
  percent: "share",
  proportion: "share",
  share_of_total: "share",
  growth_rate: "growth",
  change: "growth",
  increase: "growth",
  avg: "average",
  mean: "average",
});

export const shareOfField = enumField("shareOf", SHARE_OF_KEYS, { regions: "region", products: "product", channels: "channel" });

export const perField = enumField("per", PER_KEYS, { monthly: "month", quarterly: "quarter", units: "unit", unit_sold: "unit" });

const YEAR_BEFORE = /^(?:previous year|last year|prior year|year over year|yoy|(?:fy ?)?20(?:1\d|2[0-4])(?: .*)?)$/;

/** The earlier period of a growth comparison: a quarter or a month of FY2025, or "previous_year" (none in the data). */
export const compareToField = z.unknown().transform((value, ctx): Period | typeof PREVIOUS_YEAR => {
  const text = stringOf(value);
  const period = text === undefined ? undefined : (normaliseQuarter(text) ?? normaliseMonth(text));
  if (period) return period;
  if (text !== undefined && YEAR_BEFORE.test(key(text).replace(/[.,/]/g, " "))) return PREVIOUS_YEAR;
  return fail(ctx, value, `compareTo ${shown(value)} is not allowed; use a quarter (2025-Q1..2025-Q4) or a month (YYYY-MM) of FY2025`);
});

const periodSchema = z.union([z.enum(QUARTERS), z.enum(MONTHS)]);

/** The derived figure a query computes, as `sales_query` reports it in its output's spec. */
export const derivedSpecSchema = z.union([
  /** `part` is the filter that makes the part; without it, each group's share of the groups' total. */
  z.object({ measure: z.literal("share"), part: z.enum(SHARE_OF_KEYS).optional() }),
  /** Year over year: asked for, but the data holds FY2025 only. */
  z.object({ measure: z.literal("growth"), unavailable: z.literal(PREVIOUS_YEAR) }),
  /** `from` → `to`; without them (a period series), each period against the one before. */
  z.object({
    measure: z.literal("growth"),
    period: z.enum(["quarter", "month"]),
    from: periodSchema.optional(),
    to: periodSchema.optional(),
  }),
  /** The total spread over `periods` months or quarters. */
  z.object({ measure: z.literal("average"), per: z.enum(["month", "quarter"]), periods: z.number() }),
  /** Revenue per unit sold, with the revenue and units it comes from. */
  z.object({ measure: z.literal("average"), per: z.literal("unit") }),
]);
export type DerivedSpec = z.infer<typeof derivedSpecSchema>;

/** What `resolveDerived` reads: the parameters after their own checks. */
export interface DerivedInput {
  metric: Metric;
  quarter?: Quarter;
  month?: Month;
  region?: string;
  product?: string;
  category?: string;
  channel?: string;
  groupBy: GroupByKey[];
  derive?: DerivedMeasure;
  shareOf?: ShareOfKey;
  compareTo?: Period | typeof PREVIOUS_YEAR;
  per?: PerKey;
}

const invalid = (message: string) => new AppError("tool_input_invalid", message);

function sharePart(q: DerivedInput): ShareOfKey | undefined {
  if (q.groupBy.length > 0) {
    if (q.shareOf && !(q.groupBy as string[]).includes(q.shareOf)) {
      throw invalid(`shareOf ${q.shareOf} with groupBy ${q.groupBy.join(", ")}: give one of them (groupBy gives each group's share)`);
    }
    return undefined;
  }
  const set = SHARE_OF_KEYS.filter((k) => q[k] !== undefined);
  if (q.shareOf) {
    if (q[q.shareOf] === undefined) throw invalid(`shareOf ${q.shareOf} needs a ${q.shareOf} filter: the part whose share is asked for`);
    return q.shareOf;
  }
  const named = set.filter((k) => k !== "quarter" && k !== "month");
  const candidates = named.length > 0 ? named : set.includes("month") ? (["month"] as const) : set;
  if (candidates.length === 1) return candidates[0];
  if (candidates.length === 0) throw invalid("a share needs a part: a filter (region, product, …) or a groupBy");
  throw invalid(`a share of several filters (${candidates.join(", ")}): say which is the part with shareOf`);
}

/** The period before `period`, or undefined for the first one in the data. */
function previousPeriod(period: Period): Period | undefined {
  const list: readonly Period[] = period.includes("Q") ? QUARTERS : MONTHS;
  return list[list.indexOf(period) - 1];
}

function growthSpec(q: DerivedInput): DerivedSpec {
  if (q.compareTo === PREVIOUS_YEAR) return { measure: "growth", unavailable: PREVIOUS_YEAR };
  const to = q.month ?? q.quarter;
  if (!to) {
    const [series, other] = q.groupBy;
    if (!q.compareTo && other === undefined && (series === "quarter" || series === "month")) return { measure: "growth", period: series };
    throw invalid("growth needs periods: the later one as quarter (or month) and the earlier as compareTo, or groupBy quarter or month");
  }
  const period = q.month ? "month" : "quarter";
  if (q.groupBy.includes(period)) throw invalid(`growth between two ${period}s cannot also be grouped by ${period}`);
  const from = q.compareTo ?? previousPeriod(to);
  if (!from) throw invalid(`${to} is the first ${period} in the data (FY2025 only): there is no earlier ${period} to compare with`);
  if (from.includes("Q") !== to.includes("Q")) throw invalid(`compareTo ${from} and ${to} must both be quarters or both months`);
  if (from === to) throw invalid(`compareTo ${from} is the same period: compare two different ${period}s`);
  return { measure: "growth", period, from, to };
}

function averageSpec(q: DerivedInput, per: "month" | "quarter"): DerivedSpec {
  if (q.groupBy.includes("month") || (per === "quarter" && q.groupBy.includes("quarter"))) {
    throw invalid(`an average per ${per} cannot be grouped by ${q.groupBy.includes("month") ? "month" : "quarter"}`);
  }
  const months = q.month ? 1 : q.quarter || q.groupBy.includes("quarter") ? 3 : MONTHS.length;
  const periods = per === "month" ? months : months / 3;
  if (periods < 1) throw invalid("an average per quarter needs at least a quarter: drop the month filter or use per month");
  return { measure: "average", per, periods };
}

/**
 * The derived figure the parameters ask for, if any, and the metric to compute it on. A
 * measure is implied by its own parameter (`compareTo` → growth, `shareOf` → share, `per` →
 * average); `per: "unit"` is revenue per unit sold (what `avg_unit_price` gives, with the
 * revenue and units beside it).
 */
export function resolveDerived(q: DerivedInput): { metric: Metric; derived?: DerivedSpec } {
  const { metric, per } = q;
  const measure = q.derive ?? (q.compareTo ? "growth" : q.shareOf ? "share" : per ? "average" : undefined);
  if (measure !== "growth" && q.compareTo) throw invalid(`compareTo goes with derive growth, not ${measure ?? "a plain total"}`);
  if (measure !== "share" && q.shareOf) throw invalid(`shareOf goes with derive share, not ${measure ?? "a plain total"}`);
  if (measure !== "average" && per) throw invalid(`per ${per} goes with derive average, not ${measure ?? "a plain total"}`);
  switch (measure) {
    case undefined:
      return { metric };
    case "share":
      if (metric === "avg_unit_price") throw invalid("a share needs a metric that adds up: revenue, units or orders");
      return { metric, derived: { measure, part: sharePart(q) } };
    case "growth":
      return { metric, derived: growthSpec(q) };
    case "average":
      if (per === "unit") {
        if (metric !== "revenue" && metric !== "avg_unit_price")
          throw invalid(`per unit is revenue per unit sold: use metric revenue, not ${metric}`);
        return { metric: "revenue", derived: { measure, per } };
      }
      // The average unit price is already an average: nothing to spread over periods.
      if (metric === "avg_unit_price" && per === undefined) return { metric };
      if (metric === "avg_unit_price") throw invalid(`an average per ${per} needs a metric that adds up: revenue, units or orders`);
      return { metric, derived: averageSpec(q, per ?? "month") };
  }
}
