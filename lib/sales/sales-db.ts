import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { z } from "zod";
import { AppError } from "../errors";
import { describeZodIssues } from "../validation/zod-issues";

/**
 * The sales data (`data/sales/sales.csv` + `products.csv`) loaded into an in-memory
 * SQLite database, once per process and directory. Every row is validated on the way in
 * (a bad row names its file and line), and the connection is switched to
 * `PRAGMA query_only` once loaded: even a statement that slipped past the query
 * compiler could not change the data.
 */

export const SALES_FILE = "sales.csv";
export const PRODUCTS_FILE = "products.csv";

export const REGIONS = ["North America", "EMEA", "APAC", "LATAM"] as const;
export const CATEGORIES = ["Robotics", "Drones", "IoT", "Software", "Accessories"] as const;
export const CHANNELS = ["Direct", "Partner", "Online"] as const;
export const QUARTERS = ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"] as const;
export const MONTHS = [
  "2025-01",
  "2025-02",
  "2025-03",
  "2025-04",
  "2025-05",
  "2025-06",
  "2025-07",
  "2025-08",
  "2025-09",
  "2025-10",
  "2025-11",
  "2025-12",
] as const;

export type Quarter = (typeof QUARTERS)[number];
export type Month = (typeof MONTHS)[number];

const SALES_HEADER = "month,quarter,region,product_id,product_name,category,units,revenue_usd,channel";
const PRODUCTS_HEADER = "product_id,product_name,category,list_price_usd,launch_date";

const intString = (what: string, min: number) =>
  z
    .string()
    .regex(/^\d{1,12}$/, `${what} must be a whole number`)
    .transform(Number)
    .pipe(z.number().int().min(min, `${what} must be at least ${min}`));

const productRowSchema = z.object({
  product_id: z.string().regex(/^[A-Z0-9][A-Z0-9-]{0,31}$/, "product_id must look like ACME-R100"),
  product_name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 .()/-]{0,79}$/, "product_name has unexpected characters"),
  category: z.enum(CATEGORIES),
  list_price_usd: intString("list_price_usd", 0),
  launch_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "launch_date must be YYYY-MM-DD"),
});
export type Product = z.infer<typeof productRowSchema>;

const saleRowSchema = z
  .object({
    month: z.enum(MONTHS, { error: `month must be one of ${MONTHS[0]}..${MONTHS[11]}` }),
    quarter: z.enum(QUARTERS, { error: `quarter must be one of ${QUARTERS.join(", ")}` }),
    region: z.enum(REGIONS),
    product_id: z.string(),
    product_name: z.string(),
    category: z.enum(CATEGORIES),
    units: intString("units", 1),
    revenue_usd: intString("revenue_usd", 0),
    channel: z.enum(CHANNELS),
  })
  .refine((row) => quarterOfMonth(row.month) === row.quarter, {
    message: "quarter does not match month",
    path: ["quarter"],
  });
export type SaleRow = z.infer<typeof saleRowSchema>;

export function quarterOfMonth(month: Month): Quarter {
  const index = Math.floor((Number(month.slice(5, 7)) - 1) / 3);
  const quarter = QUARTERS[index];
  if (!quarter) throw new AppError("internal", `no quarter for month ${month}`);
  return quarter;
}

const describeIssues = (error: z.ZodError): string => describeZodIssues(error).join("; ");

/** Splits a CSV with a known header into objects; values never contain commas or quotes. */
function csvRecords(text: string, file: string, header: string): { line: number; record: Record<string, string> }[] {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const columns = header.split(",");
  if (lines[0]?.trim() !== header) {
    throw new AppError("corpus_invalid", `${file}:1: expected header "${header}", got "${lines[0] ?? ""}"`);
  }
  const out: { line: number; record: Record<string, string> }[] = [];
  lines.forEach((raw, i) => {
    if (i === 0 || raw.trim() === "") return;
    const line = i + 1;
    const values = raw.split(",");
    if (values.length !== columns.length) {
      throw new AppError("corpus_invalid", `${file}:${line}: expected ${columns.length} fields, got ${values.length}`);
    }
    const record: Record<string, string> = {};
    columns.forEach((column, c) => {
      record[column] = (values[c] ?? "").trim();
    });
    out.push({ line, record });
  });
  return out;
}

export function parseProductsCsv(text: string, file = PRODUCTS_FILE): Product[] {
  const products: Product[] = [];
  const seen = new Set<string>();
  for (const { line, record } of csvRecords(text, file, PRODUCTS_HEADER)) {
    const parsed = productRowSchema.safeParse(record);
    if (!parsed.success) throw new AppError("corpus_invalid", `${file}:${line}: ${describeIssues(parsed.error)}`);
    if (seen.has(parsed.data.product_id)) {
      throw new AppError("corpus_invalid", `${file}:${line}: duplicate product_id ${parsed.data.product_id}`);
    }
    seen.add(parsed.data.product_id);
    products.push(parsed.data);
  }
  if (products.length === 0) throw new AppError("corpus_invalid", `${file}: no products`);
  return products;
}

export function parseSalesCsv(text: string, products: readonly Product[], file = SALES_FILE): SaleRow[] {
  const byId = new Map(products.map((p) => [p.product_id, p]));
  const rows: SaleRow[] = [];
  for (const { line, record } of csvRecords(text, file, SALES_HEADER)) {
    const parsed = saleRowSchema.safeParse(record);
    if (!parsed.success) throw new AppError("corpus_invalid", `${file}:${line}: ${describeIssues(parsed.error)}`);
    const row = parsed.data;
    const product = byId.get(row.product_id);
    if (!product) throw new AppError("corpus_invalid", `${file}:${line}: unknown product_id ${row.product_id}`);
    if (product.product_name !== row.product_name || product.category !== row.category) {
      throw new AppError("corpus_invalid", `${file}:${line}: product_name/category do not match ${PRODUCTS_FILE} for ${row.product_id}`);
    }
    rows.push(row);
  }
  if (rows.length === 0) throw new AppError("corpus_invalid", `${file}: no rows`);
  return rows;
}

export interface SalesDb {
  /** Read-only (`query_only`) connection to the in-memory database. */
  db: Database.Database;
  /** The allow-list of products, in products.csv order. */
  products: readonly Product[];
  /** Number of rows in the `sales` table. */
  salesRowCount: number;
  dataDir: string;
}

const SCHEMA_SQL = `
CREATE TABLE products (
  product_id TEXT PRIMARY KEY,
  product_name TEXT NOT NULL UNIQUE,
  category TEXT NOT NULL,
  list_price_usd INTEGER NOT NULL,
  launch_date TEXT NOT NULL
) STRICT;
CREATE TABLE sales (
  month TEXT NOT NULL,
  quarter TEXT NOT NULL,
  region TEXT NOT NULL,
  product_id TEXT NOT NULL REFERENCES products(product_id),
  product_name TEXT NOT NULL,
  category TEXT NOT NULL,
  units INTEGER NOT NULL,
  revenue_usd INTEGER NOT NULL,
  channel TEXT NOT NULL
) STRICT;
`;

/** Builds a fresh read-only database from the two CSV files in `dataDir`. */
export function loadSalesDb(dataDir: string): SalesDb {
  const read = (name: string) => {
    const file = path.join(dataDir, name);
    try {
      return fs.readFileSync(file, "utf8");
    } catch (error) {
      throw new AppError("corpus_invalid", `${file}: cannot read sales data (${(error as Error).message})`, {
        cause: error,
      });
    }
  };
  const products = parseProductsCsv(read(PRODUCTS_FILE), path.join(dataDir, PRODUCTS_FILE));
  const rows = parseSalesCsv(read(SALES_FILE), products, path.join(dataDir, SALES_FILE));

  const db = new Database(":memory:");
  db.exec(SCHEMA_SQL);
  const insertProduct = db.prepare(
    "INSERT INTO products (product_id, product_name, category, list_price_usd, launch_date) VALUES (?, ?, ?, ?, ?)",
  );
  const insertSale = db.prepare(
    "INSERT INTO sales (month, quarter, region, product_id, product_name, category, units, revenue_usd, channel) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  db.transaction(() => {
    for (const p of products) insertProduct.run(p.product_id, p.product_name, p.category, p.list_price_usd, p.launch_date);
    for (const r of rows) {
      insertSale.run(r.month, r.quarter, r.region, r.product_id, r.product_name, r.category, r.units, r.revenue_usd, r.channel);
    }
  })();
  db.pragma("query_only = ON");
  return { db, products, salesRowCount: rows.length, dataDir };
}

const cache = new Map<string, SalesDb>();

/** The process-wide database for `dataDir` (resolved), loaded on first use. */
export function getSalesDb(dataDir: string): SalesDb {
  const key = path.resolve(dataDir);
  let entry = cache.get(key);
  if (!entry) {
    entry = loadSalesDb(key);
    cache.set(key, entry);
  }
  return entry;
}

/** Where the sales CSVs live in this repository, relative to the working directory. */
export function defaultSalesDir(cwd: string = process.cwd()): string {
  return path.resolve(cwd, "data", "sales");
}
