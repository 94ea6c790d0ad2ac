import { MONTH_NAMES } from "@/lib/sales/sales-value-matching";
import { extractSalesParams, type SalesParams } from "../graph/extract";

/**
 * How people ask for a derived sales figure, read into `sales_query`'s derived parameters
 * (lib/sales/sales-derived-params): a share ("what part of …", "… percentage of …"), growth
 * between periods ("from Q2 to Q3", "Q3 growth", "month over month"), an average per period
 * ("average monthly units") or per unit ("revenue per unit"), top N ("top three …"). The plain
 * filters come from extractSalesParams; this adjusts them where a derived figure changes their
 * meaning (two quarters named are the two sides of a growth, not a breakdown).
 */

export type SalesArgs = SalesParams & {
  derive?: "share" | "growth" | "average";
  shareOf?: string;
  compareTo?: string;
  per?: "month" | "quarter" | "unit";
};

const SHARE_WORDS = /\b(?:share|percentage|percent|proportion|fraction|portion|what part|how much of|split|mix|divided)\b|%\s*of\b/;
const SHARE_OF = /\b(?:share|percentage|percent|proportion|fraction|portion|part|slice)\s+of\b|%\s*of\b|\b(?:split|mix|divided)\b/;
const GROWTH_WORDS =
  /\b(?:grow|grows|grew|grown|growth|growing|increase[sd]?|decrease[sd]?|declined?|declines|drop(?:ped)?|fell|fall|rise|rose|risen|change[sd]?|over the previous|quarter[- ]over[- ]quarter|month[- ]over[- ]month|year[- ]over[- ]year|qoq|mom|yoy)\b/;
/** "September compared with August", "Q3 vs Q2": growth when what is compared is two periods. */
const COMPARE = /\bcompare[sd]?\b|\bvs\.?|\bversus\b|\bagainst\b/;
const YEAR_BEFORE =
  /\b(?:year[- ]over[- ]year|yoy|last year|previous year|prior year|a year (?:earlier|before|ago)|the year before|fy ?2024|2024)\b/;
const PER_UNIT =
  /\b(?:revenue|sales|dollars?|money|price)\s+(?:per|a|for each|each)\s+unit\b|\bper unit\b(?! sold per)|\baverage (?:unit |selling |sale )?price\b|\bunit price\b|\bprice per unit\b/;
/** "how much revenue did each R200 unit bring": money, and a unit counted one at a time. */
const MONEY_WORDS = /\b(?:revenue|dollars?|money|earn(?:ed)?|bring|brought|make|made)\b/;
const EACH_UNIT = /\b(?:per|each|every|a)\s+(?:[\w-]+\s+){0,3}unit\b/;
const PER_MONTH = /\b(?:average|avg|mean|typical)\b.*\b(?:monthly|per month|a month|each month|month)\b|\bmonthly average\b/;
const PER_QUARTER = /\b(?:average|avg|mean|typical)\b.*\b(?:quarterly|per quarter|a quarter|each quarter|quarter)\b|\bquarterly average\b/;
const NUMBER_WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
const ORDINALS = ["first", "second", "third", "fourth"];

/** The quarters or months named, in the order they are written ("from Q3 back to Q2" keeps Q3 first). */
function periodsIn(message: string): { kind: "quarter" | "month"; values: string[] } | undefined {
  // "the second and the third quarter" names two quarters.
  const text = message.replace(
    /\b(first|second|third|fourth)\s+(and|to|or|vs\.?|versus|with)\s+(?:the\s+)?(first|second|third|fourth)\s+quarters?\b/g,
    (_m, a: string, word: string, b: string) => `q${ORDINALS.indexOf(a) + 1} ${word} q${ORDINALS.indexOf(b) + 1}`,
  );
  const quarters = [...text.matchAll(/\bq([1-4])\b|\b(first|second|third|fourth) quarter\b/g)].map((m) => {
    const n = m[1] ? Number(m[1]) : ORDINALS.indexOf(m[2] ?? "") + 1;
    return { at: m.index, value: `2025-Q${n}` };
  });
  if (quarters.length > 0) return { kind: "quarter", values: quarters.sort((a, b) => a.at - b.at).map((q) => q.value) };
  const months = [...text.matchAll(new RegExp(`\\b(${MONTH_NAMES.join("|")})\\b`, "g"))]
    .filter((m) => !(m[1] === "may" && /\bmay (?:i|we|you)\b/.test(text.slice(m.index))))
    .map((m) => ({ at: m.index, value: `2025-${String(MONTH_NAMES.indexOf(m[1] ?? "") + 1).padStart(2, "0")}` }));
  if (months.length > 0) return { kind: "month", values: months.sort((a, b) => a.at - b.at).map((m) => m.value) };
  return undefined;
}

const FILTER_KEYS = ["region", "product", "category", "channel", "quarter", "month"] as const;

/**
 * Which filter is the part of a share: not one named inside "share of <scope> revenue" (that
 * is the whole's scope), a non-time one before a time one; undefined leaves it to the tool.
 */
function shareOf(text: string, params: SalesParams): string | undefined {
  const set = FILTER_KEYS.filter((k) => params[k] !== undefined);
  if (set.length < 2) return undefined;
  const scopeText =
    /\b(?:share|percentage|percent|proportion|fraction|portion|part|much)\s+of\s+(.*?)\b(?:revenue|sales|units?|orders?|sold)\b/.exec(
      text,
    )?.[1] ?? "";
  const possessive = /^(.*?)'s (?:share|percentage|portion|part)\b/.exec(text)?.[1];
  const inScope = extractSalesParams(scopeText);
  const named = possessive ? extractSalesParams(possessive) : {};
  const owner = set.find((k) => named[k] !== undefined && named[k] === params[k]);
  if (owner) return owner;
  const parts = set.filter((k) => inScope[k] !== params[k]);
  return parts.find((k) => k !== "quarter" && k !== "month") ?? parts[0];
}

function readShare(text: string, params: SalesArgs): SalesArgs {
  const out: SalesArgs = { ...params, derive: "share" };
  const part = shareOf(text, params);
  if (part && !params.groupBy) out.shareOf = part;
  return out;
}

function readGrowth(text: string, own: string, params: SalesArgs): SalesArgs {
  const out: SalesArgs = { ...params, derive: "growth" };
  if (YEAR_BEFORE.test(text)) return { ...out, compareTo: "previous_year" };
  // A follow-up's own period ("and Q4?") replaces the earlier turn's.
  const periods = periodsIn(own) ?? periodsIn(text);
  const grouped = (out.groupBy ?? []).filter((g) => g !== "quarter" && g !== "month");
  delete out.quarter;
  delete out.month;
  if (periods && periods.values.length >= 2) {
    const [first, second] = periods.values as [string, string];
    // "from Q3 to Q2" keeps its direction; otherwise the earlier period is the base.
    const [from, to] = /\bfrom\b/.test(text) || first < second ? [first, second] : [second, first];
    out[periods.kind] = to;
    out.compareTo = from;
  } else if (periods) {
    out[periods.kind] = periods.values[0];
  } else if (/\bmonth[- ]over[- ]month\b|\bmom\b|\bmonthly\b|\b(?:each|every|per|by) month\b/.test(text)) {
    out.groupBy = ["month"];
  } else if (/\bquarter[- ]over[- ]quarter\b|\bqoq\b|\bquarterly\b|\b(?:each|every|per|by) quarter\b/.test(text) || grouped.length === 0) {
    out.groupBy = ["quarter"];
  } else {
    // "which channel grew most this year": the year's growth is its last quarter against its first.
    out.quarter = "2025-Q4";
    out.compareTo = "2025-Q1";
  }
  if (out.quarter || out.month) {
    if (grouped.length > 0) out.groupBy = grouped;
    else delete out.groupBy;
  }
  if (out.groupBy && /\b(?:fastest|most|biggest|highest|largest|best|strongest)\b/.test(text))
    Object.assign(out, { order: "desc", limit: 1 });
  if (out.groupBy && /\b(?:slowest|least|smallest|lowest|worst|weakest)\b/.test(text)) Object.assign(out, { order: "asc", limit: 1 });
  if (!out.groupBy) {
    delete out.order;
    delete out.limit;
  }
  return out;
}

function readAverage(text: string, params: SalesArgs): SalesArgs | undefined {
  const perUnit = PER_UNIT.test(text) || (MONEY_WORDS.test(text) && EACH_UNIT.test(text));
  if (perUnit && !/\bunits? per (?:month|quarter)\b/.test(text)) return { ...params, metric: "revenue", derive: "average", per: "unit" };
  const per = PER_QUARTER.test(text) && !/\bper month\b|\bmonthly\b/.test(text) ? "quarter" : PER_MONTH.test(text) ? "month" : undefined;
  if (!per) return undefined;
  const out: SalesArgs = { ...params, derive: "average", per };
  const groupBy = (out.groupBy ?? []).filter((g) => g !== "month" && !(per === "quarter" && g === "quarter"));
  if (groupBy.length > 0) out.groupBy = groupBy;
  else {
    delete out.groupBy;
    delete out.order;
    delete out.limit;
  }
  return out;
}

const GROUP_WORDS: [RegExp, string][] = [
  [/^regions?$/, "region"],
  [/^products?$/, "product"],
  [/^channels?$/, "channel"],
  [/^categor(?:y|ies)$/, "category"],
];
const groupOf = (word: string | undefined) => GROUP_WORDS.find(([pattern]) => pattern.test(word ?? ""))?.[1];

/**
 * Groupings extractSalesParams leaves out: "which sales channel" (a word between), "split
 * across regions", "top three products" (the number in words; it reads digits).
 */
function readGrouping(text: string, params: SalesArgs): SalesArgs {
  const top = new RegExp(`\\b(top|bottom|best|worst)\\s+(${NUMBER_WORDS.join("|")})\\s+(\\w+)`).exec(text);
  const group =
    groupOf(top?.[3]) ??
    groupOf(/\b(?:which|what)\s+\w+\s+(\w+)/.exec(text)?.[1]) ??
    groupOf(/\b(?:across|among|between) (?:the |our |all )?(\w+)/.exec(text)?.[1]);
  const out: SalesArgs = { ...params };
  if (group && !out.groupBy) out.groupBy = [group];
  if (top?.[2] && out.groupBy) {
    out.limit = NUMBER_WORDS.indexOf(top[2]) + 1;
    out.order = top[1] === "bottom" || top[1] === "worst" ? "asc" : "desc";
  }
  return out;
}

/**
 * The derived parameters the message asks for, on top of the plain ones; `params` unchanged
 * when none. `context` is the conversation's text for a follow-up ("and for APAC?" after a
 * growth question asks for growth too).
 */
export function readDerivedArgs(message: string, params: SalesParams, context?: string): SalesArgs {
  const own = message.toLowerCase();
  const text = (context ?? message).toLowerCase();
  const withTop = readGrouping(own, params);
  const average = readAverage(text, withTop);
  if (average) return average;
  const comparesPeriods = COMPARE.test(text) && (YEAR_BEFORE.test(text) || (periodsIn(text)?.values.length ?? 0) >= 2);
  const growth = GROWTH_WORDS.test(text) || comparesPeriods;
  // "by what percentage did units rise" is growth; "what percentage of units" a share.
  const share =
    SHARE_WORDS.test(text) && !(/\b(?:split|mix|divided)\b/.test(text) && !withTop.groupBy) && !(growth && !SHARE_OF.test(text));
  if (share) return readShare(text, withTop);
  if (growth) return readGrowth(text, own, withTop);
  return withTop;
}
