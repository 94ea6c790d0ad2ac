import { z } from "zod";
import { formatNumber } from "@/lib/text/format-number";
import { derivedSpecSchema, type DerivedSpec, type ShareOfKey } from "@/lib/sales/sales-derived-params";
import { GROUP_BY_KEYS, METRICS, ORDERS, type Metric, type SalesRow } from "@/lib/sales/sales-dimensions";

/**
 * The answer to a derived sales question (a share, growth, an average per period, top N),
 * assembled in code from the query's computed row values: the figure asked for first, in one
 * sentence, then the rows it came from. No model writes a number here, so every figure is one
 * the tool returned (and the claim check finds it in the tool's output).
 */

/** What the answer reads of the query `sales_query` ran (its output's `spec`). */
export const salesSpecSchema = z.object({
  metric: z.enum(METRICS),
  quarter: z.string().optional(),
  month: z.string().optional(),
  region: z.string().optional(),
  product: z.string().optional(),
  category: z.string().optional(),
  channel: z.string().optional(),
  groupBy: z.array(z.enum(GROUP_BY_KEYS)),
  order: z.enum(ORDERS).optional(),
  limit: z.number(),
  derived: derivedSpecSchema.optional(),
});
export type SalesSpec = z.infer<typeof salesSpecSchema>;

const COLUMN: Record<Metric, string> = { revenue: "revenue_usd", units: "units", orders: "orders", avg_unit_price: "avg_unit_price_usd" };
const WORDS: Record<Metric, string> = {
  revenue: "revenue",
  units: "units sold",
  orders: "sales records",
  avg_unit_price: "average unit price",
};
const PLURAL: Record<string, string> = { category: "categories" };

const isMoney = (metric: Metric) => metric === "revenue" || metric === "avg_unit_price";
const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const plural = (key: string) => PLURAL[key] ?? `${key}s`;
/** "2025-Q3" → "Q3 2025"; months stay as the data spells them ("2025-07"). */
const period = (value: string) => value.replace(/^(\d{4})-(Q[1-4])$/, "$2 $1");
const percent = (value: number) => `${value.toFixed(1)}%`;
const signed = (value: number) => `${value > 0 ? "+" : ""}${percent(value)}`;

function amount(metric: Metric, value: number | string | undefined): string {
  if (typeof value !== "number") return "n/a";
  return isMoney(metric) ? `$${formatNumber(value)}` : formatNumber(value);
}

const num = (row: SalesRow | undefined, column: string): number | undefined => {
  const value = row?.[column];
  return typeof value === "number" ? value : undefined;
};

/** The row's group values ("APAC", "TrackPoint T5"); a product's id is dropped when its name is there. */
function label(row: SalesRow): string {
  return Object.entries(row)
    .filter(([k, v]) => typeof v === "string" && !(k === "product_id" && typeof row.product === "string"))
    .map(([, v]) => period(String(v)))
    .join(", ");
}

/** " for EMEA, ACME-R100": the named filters the figure is for, less those `except` lists. */
function forWhom(spec: SalesSpec, except: readonly string[] = []): string {
  const names = (["region", "product", "category", "channel"] as const)
    .filter((k) => spec[k] !== undefined && !except.includes(k))
    .map((k) => (k === "channel" ? `the ${spec[k]} channel` : spec[k]));
  return names.length > 0 ? ` for ${names.join(", ")}` : "";
}

/** " in Q3 2025" (or " in 2025", the whole year): the period the figure is for, less the filters `except` lists. */
function when(spec: SalesSpec, except: readonly string[] = []): string {
  const time = !except.includes("month") && spec.month ? spec.month : !except.includes("quarter") ? spec.quarter : undefined;
  return ` in ${time ? period(time) : "2025"}`;
}

const scope = (spec: SalesSpec, except: readonly string[] = []) => `${forWhom(spec, except)}${when(spec, except)}`;

function shareAnswer(spec: SalesSpec, part: ShareOfKey | undefined, rows: SalesRow[]): string {
  const column = COLUMN[spec.metric];
  const first = rows[0];
  const total = amount(spec.metric, num(first, `total_${column}`));
  if (part) {
    const value = spec[part] ?? "";
    const name = part === "channel" ? `The ${value} channel` : period(value);
    const share = num(first, "share_pct");
    const whole = `all ${part === "quarter" || part === "month" ? `of ${spec.quarter && part === "month" ? period(spec.quarter) : "2025"}` : plural(part)}`;
    return [
      `${name}'s share of ${WORDS[spec.metric]}${scope(spec, [part])} was ${share === undefined ? "n/a" : percent(share)}: ${amount(spec.metric, num(first, column))} of ${total}.`,
      `- ${period(value)}: ${amount(spec.metric, num(first, column))}`,
      `- ${capitalised(whole)}: ${total}`,
    ].join("\n");
  }
  const lines = rows.map((row) => `- ${label(row)}: ${percent(num(row, "share_pct") ?? 0)} (${amount(spec.metric, num(row, column))})`);
  const by = spec.groupBy.join(" and ");
  const extreme = spec.order === "asc" ? "smallest" : "largest";
  const head =
    first && spec.limit === 1
      ? `${label(first)} had the ${extreme} share of ${WORDS[spec.metric]}${scope(spec)}: ${percent(num(first, "share_pct") ?? 0)} (${amount(spec.metric, num(first, column))} of ${total}).`
      : `Share of ${WORDS[spec.metric]} by ${by}${scope(spec)}, out of ${total}:`;
  return [head, ...(spec.limit === 1 ? [] : lines)].join("\n");
}

function growthSentence(metric: Metric, subject: string, between: string, row: SalesRow | undefined, column: string): string {
  const from = num(row, `from_${column}`);
  const to = num(row, `to_${column}`);
  const growth = num(row, "growth_pct");
  const span = `${amount(metric, from)} to ${amount(metric, to)}`;
  if (growth === undefined) return `${subject} went from ${span} ${between}; there is no growth rate from nothing.`;
  if (growth > 0) return `${subject} grew ${percent(growth)} ${between} (${span}).`;
  if (growth < 0) return `${subject} fell ${between}: a change of ${percent(growth)} (${span}).`;
  return `${subject} was unchanged ${between} (0.0%, ${amount(metric, to)}).`;
}

function growthAnswer(spec: SalesSpec, derived: Extract<DerivedSpec, { period: string }>, rows: SalesRow[]): string {
  const column = COLUMN[spec.metric];
  const what = WORDS[spec.metric];
  const first = rows[0];
  if (derived.from && derived.to) {
    const between = `from ${period(derived.from)} to ${period(derived.to)}`;
    if (spec.groupBy.length === 0) {
      return [
        growthSentence(spec.metric, `${capitalised(what)}${forWhom(spec)}`, between, first, column),
        `- ${period(derived.from)}: ${amount(spec.metric, num(first, `from_${column}`))}`,
        `- ${period(derived.to)}: ${amount(spec.metric, num(first, `to_${column}`))}`,
      ].join("\n");
    }
    const lines = rows.map(
      (row) =>
        `- ${label(row)}: ${signed(num(row, "growth_pct") ?? 0)} (${amount(spec.metric, num(row, `from_${column}`))} to ${amount(spec.metric, num(row, `to_${column}`))})`,
    );
    const extreme = spec.order === "asc" ? "least" : "most";
    const head =
      first && spec.limit === 1
        ? `${label(first)} grew the ${extreme}${forWhom(spec)}: ${what} ${signed(num(first, "growth_pct") ?? 0)} ${between} (${amount(spec.metric, num(first, `from_${column}`))} to ${amount(spec.metric, num(first, `to_${column}`))}).`
        : `Growth in ${what} by ${spec.groupBy.join(" and ")}${forWhom(spec)} ${between}:`;
    return [head, ...lines].join("\n");
  }
  const over = `${derived.period}-over-${derived.period}`;
  const growing = rows.filter((row) => num(row, "growth_pct") !== undefined);
  const lines = rows.map((row) => {
    const growth = num(row, "growth_pct");
    const figure = amount(spec.metric, num(row, column));
    return `- ${label(row)}: ${figure}${growth === undefined ? " (first period)" : `, ${signed(growth)}`}`;
  });
  const best = growing[0];
  const head =
    best && spec.order && spec.limit === 1
      ? `${label(best)} had the ${spec.order === "asc" ? "lowest" : "highest"} ${over} growth in ${what}${scope(spec)}: ${signed(num(best, "growth_pct") ?? 0)}.`
      : `${capitalised(over)} growth in ${what}${scope(spec)}: ${growing.map((row) => `${label(row)} ${signed(num(row, "growth_pct") ?? 0)}`).join(", ")}.`;
  return [head, ...lines].join("\n");
}

function perUnitAnswer(spec: SalesSpec, rows: SalesRow[]): string {
  const figures = (row: SalesRow | undefined) =>
    `${amount("revenue", num(row, "revenue_usd_per_unit"))} (${amount("revenue", num(row, "revenue_usd"))} over ${amount("units", num(row, "units"))} units)`;
  if (spec.groupBy.length === 0) return `Average revenue per unit sold${scope(spec)} was ${figures(rows[0])}.`;
  return [
    `Average revenue per unit sold by ${spec.groupBy.join(" and ")}${scope(spec)}:`,
    ...rows.map((row) => `- ${label(row)}: ${figures(row)}`),
  ].join("\n");
}

function averageAnswer(spec: SalesSpec, derived: Extract<DerivedSpec, { periods: number }>, rows: SalesRow[]): string {
  const column = COLUMN[spec.metric];
  const average = `${column}_per_${derived.per}`;
  const what = `average ${derived.per === "month" ? "monthly" : "quarterly"} ${WORDS[spec.metric]}`;
  const over = `over ${derived.periods} ${derived.per}${derived.periods === 1 ? "" : "s"}`;
  const first = rows[0];
  if (spec.groupBy.length === 0) {
    return `${capitalised(what)}${scope(spec)} was ${amount(spec.metric, num(first, average))} (${amount(spec.metric, num(first, column))} ${over}).`;
  }
  const lines = rows.map(
    (row) => `- ${label(row)}: ${amount(spec.metric, num(row, average))} (${amount(spec.metric, num(row, column))} ${over})`,
  );
  return [`${capitalised(what)} by ${spec.groupBy.join(" and ")}${scope(spec)}:`, ...lines].join("\n");
}

/** Top N: the names in order first, then each with its figure. */
function topAnswer(spec: SalesSpec, rows: SalesRow[]): string {
  const column = COLUMN[spec.metric];
  const names = rows.map(label);
  const listed = names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names.at(-1)}` : (names[0] ?? "");
  const rank = spec.order === "asc" ? "bottom" : "top";
  const head = `The ${rank} ${rows.length} ${plural(spec.groupBy[0] ?? "group")} by ${WORDS[spec.metric]}${scope(spec)} are ${listed}.`;
  return [head, ...rows.map((row) => `- ${label(row)}: ${amount(spec.metric, num(row, column))}`)].join("\n");
}

/** Whether a plain query is a top N: one grouping, a limit above 1 that cut the list. */
function isTopN(spec: SalesSpec, rows: SalesRow[], limitGiven: boolean): boolean {
  return spec.groupBy.length === 1 && limitGiven && spec.limit > 1 && rows.length > 1 && spec.derived === undefined;
}

/** The derived answer for `spec` and its rows; undefined for a plain query (not a top N). */
export function derivedAnswer(spec: SalesSpec, rows: SalesRow[], options: { note?: string; limitGiven: boolean }): string | undefined {
  const derived = spec.derived;
  if (!derived) return isTopN(spec, rows, options.limitGiven) ? topAnswer(spec, rows) : undefined;
  if ("unavailable" in derived || rows.length === 0) return options.note ?? `No sales match${scope(spec)}.`;
  switch (derived.measure) {
    case "share":
      return shareAnswer(spec, derived.part, rows);
    case "growth":
      return growthAnswer(spec, derived, rows);
    case "average":
      return derived.per === "unit" ? perUnitAnswer(spec, rows) : averageAnswer(spec, derived, rows);
  }
}
