import fs from "node:fs";
import path from "node:path";

/**
 * The committed sales table read independently of lib/sales (values never contain commas), so
 * tests compare the query builder with sums computed here.
 */
export interface SalesFact {
  month: string;
  quarter: string;
  region: string;
  product_id: string;
  product_name: string;
  category: string;
  units: number;
  revenue_usd: number;
  channel: string;
}

export const SALES_DATA_DIR = path.join(process.cwd(), "data", "sales");

export function readSalesFacts(dataDir: string = SALES_DATA_DIR): SalesFact[] {
  return fs
    .readFileSync(path.join(dataDir, "sales.csv"), "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => {
      const [month, quarter, region, product_id, product_name, category, units, revenue_usd, channel] = line.trim().split(",");
      return {
        month: month ?? "",
        quarter: quarter ?? "",
        region: region ?? "",
        product_id: product_id ?? "",
        product_name: product_name ?? "",
        category: category ?? "",
        units: Number(units),
        revenue_usd: Number(revenue_usd),
        channel: channel ?? "",
      };
    });
}

/** Sums `value` per `keyOf`. */
export function sumBy(rows: readonly SalesFact[], keyOf: (f: SalesFact) => string, value: (f: SalesFact) => number): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of rows) out.set(keyOf(f), (out.get(keyOf(f)) ?? 0) + value(f));
  return out;
}

/** Sums `value` over the facts `where` keeps. */
export function total(rows: readonly SalesFact[], where: (f: SalesFact) => boolean, value: (f: SalesFact) => number): number {
  return rows.filter(where).reduce((sum, f) => sum + value(f), 0);
}

/** 100 × part / whole to one decimal, halves away from zero (as SQLite's ROUND). */
export function pct(part: number, whole: number): number {
  const value = (1000 * part) / whole;
  return (Math.sign(value) * Math.round(Math.abs(value))) / 10;
}
