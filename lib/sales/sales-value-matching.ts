import { AppError } from "../errors";
import { truncate } from "../text/truncate";
import { MONTHS, QUARTERS, type Month, type Product, type Quarter } from "./sales-db";

/**
 * How a model may spell sales values, mapped onto the real ones: forgiving about spelling
 * (case, spaces, "Q2" for "2025-Q2", "jul 2025", a product's name for its id), strict about
 * meaning: `undefined` (or, for products, an error listing them) when nothing matches.
 */

/** The form values are compared in: trimmed, lower case, runs of spaces, "_" and "-" as one space. */
export const key = (value: string) =>
  value
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, " ");

/** Quotes a value for an error message without echoing a whole essay back. */
export function shown(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(truncate(value, 60));
  return truncate(JSON.stringify(value) ?? String(value), 60);
}

const QUARTER_RE = /^(?:fy ?)?(?:(\d{4}) ?)?q([1-4])(?: ?(?:fy ?)?(\d{4}))?$/;

export function normaliseQuarter(value: string): Quarter | undefined {
  const match = QUARTER_RE.exec(key(value));
  if (!match) return undefined;
  const year = match[1] ?? match[3] ?? "2025";
  if (match[1] && match[3] && match[1] !== match[3]) return undefined;
  return QUARTERS.find((q) => q === `${year}-Q${match[2]}`);
}

/** Month names, January first: their index + 1 is the month number. */
export const MONTH_NAMES = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

export function normaliseMonth(value: string): Month | undefined {
  const k = key(value).replace(/[.,/]/g, " ").replace(/ +/g, " ").trim();
  let year = "2025";
  let month: number | undefined;
  const numeric = /^(\d{4}) (\d{1,2})$/.exec(k);
  if (numeric) {
    year = numeric[1] ?? year;
    month = Number(numeric[2]);
  } else {
    const named = /^(?:(\d{4}) )?([a-z]+)(?: (\d{4}))?$/.exec(k);
    if (!named) return undefined;
    if (named[1] && named[3]) return undefined;
    year = named[1] ?? named[3] ?? year;
    const word = named[2] ?? "";
    const index = MONTH_NAMES.findIndex((name) => word.length >= 3 && name.startsWith(word));
    if (index < 0) return undefined;
    month = index + 1;
  }
  return MONTHS.find((m) => m === `${year}-${String(month).padStart(2, "0")}`);
}

/** Matches a product id ("ACME-R100", "r100") or name ("Roadrunner R100", or a unique start of one: "Anvil A1"). */
export function resolveProduct(products: readonly Product[], value: string): Product {
  const k = key(value);
  const exact = products.find(
    (p) => key(p.product_id) === k || key(p.product_name) === k || key(p.product_id.replace(/^ACME-/i, "")) === k,
  );
  if (exact) return exact;
  if (/^[a-z0-9 ]{3,}$/.test(k)) {
    const prefixed = products.filter((p) => `${key(p.product_name)} `.startsWith(`${k} `));
    if (prefixed.length === 1 && prefixed[0]) return prefixed[0];
    if (prefixed.length > 1) {
      const names = prefixed.map((p) => `${p.product_id} (${p.product_name})`).join(", ");
      throw new AppError("tool_input_invalid", `product ${shown(value)} matches several products; pick one of: ${names}`);
    }
  }
  const allowed = products.map((p) => `${p.product_id} (${p.product_name})`).join(", ");
  throw new AppError("tool_input_invalid", `product ${shown(value)} is not a known product; use one of: ${allowed}`);
}
