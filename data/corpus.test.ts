import { readFileSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import matter from "gray-matter";
import { describe, expect, it } from "vitest";
import { z } from "zod";

/**
 * Guards the knowledge-base corpus and the sales data behind it:
 * - every document's frontmatter is exactly { id, title, topic, updated } plus optional { effective, supersedes };
 * - the sales reports' tables, totals and headline claims agree with sales.csv
 *   (re-aggregated here, parsed out of the Markdown, nothing hard-coded);
 * - the current price list agrees with products.csv.
 */

const DATA_DIR = fileURLToPath(new URL(".", import.meta.url));
const CORPUS_DIR = join(DATA_DIR, "corpus");
const SALES_CSV = join(DATA_DIR, "sales", "sales.csv");
const PRODUCTS_CSV = join(DATA_DIR, "sales", "products.csv");

const TOPICS = ["products", "pricing", "policies", "sales", "support", "engineering", "hr"] as const;
const REGIONS = ["North America", "EMEA", "APAC", "LATAM"] as const;
const CHANNELS = ["Direct", "Partner", "Online"] as const;
const QUARTERS = ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"] as const;

const FrontmatterSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "id must be kebab-case"),
  title: z.string().min(3),
  topic: z.enum(TOPICS),
  // Quoted in YAML on purpose: an unquoted date would come back from gray-matter as a Date.
  updated: z.iso.date(),
  effective: z.iso.date().optional(),
  supersedes: z.string().optional(),
});
type Frontmatter = z.infer<typeof FrontmatterSchema>;

interface Doc {
  file: string;
  data: Frontmatter;
  body: string;
}

const SalesRowSchema = z.object({
  month: z.string().regex(/^2025-(0[1-9]|1[0-2])$/),
  quarter: z.enum(QUARTERS),
  region: z.enum(REGIONS),
  product_id: z.string().regex(/^ACME-[A-Z][0-9]+$/),
  product_name: z.string().min(1),
  category: z.string().min(1),
  units: z.coerce.number().int().positive(),
  revenue_usd: z.coerce.number().int().positive(),
  channel: z.enum(CHANNELS),
});
type SalesRow = z.infer<typeof SalesRowSchema>;

const ProductRowSchema = z.object({
  product_id: z.string().regex(/^ACME-[A-Z][0-9]+$/),
  product_name: z.string().min(1),
  category: z.string().min(1),
  list_price_usd: z.coerce.number().int().positive(),
  launch_date: z.iso.date(),
});

/** Simple CSV: the data never contains commas, quotes or newlines inside a value. */
function readCsv(path: string): Record<string, string>[] {
  const lines = readFileSync(path, "utf8").split("\n").filter((l) => l.trim() !== "");
  const [headerLine, ...rest] = lines;
  if (headerLine === undefined) throw new Error(`${path} is empty`);
  const header = headerLine.split(",");
  return rest.map((line, i) => {
    const cells = line.split(",");
    if (cells.length !== header.length) {
      throw new Error(`${path}:${i + 2}: expected ${header.length} cells, got ${cells.length}`);
    }
    return Object.fromEntries(header.map((h, j) => [h, cells[j] ?? ""]));
  });
}

function csvHeader(path: string): string[] {
  return (readFileSync(path, "utf8").split("\n")[0] ?? "").split(",");
}

function loadCorpus(): Doc[] {
  return readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((file) => {
      const parsed = matter(readFileSync(join(CORPUS_DIR, file), "utf8"));
      const result = FrontmatterSchema.safeParse(parsed.data);
      if (!result.success) {
        throw new Error(`${file}: invalid frontmatter: ${z.prettifyError(result.error)}`);
      }
      return { file, data: result.data, body: parsed.content };
    });
}

/** "$1,234,567" -> 1234567; "1,234" -> 1234. */
function parseAmount(cell: string): number {
  const cleaned = cell.replace(/\*/g, "").trim();
  if (!/^\$?[0-9]{1,3}(,[0-9]{3})*$/.test(cleaned)) throw new Error(`not an amount: "${cell}"`);
  return Number(cleaned.replace(/[$,]/g, ""));
}

function money(n: number): string {
  return `$${n.toLocaleString("en-US")}`;
}

interface MdTable {
  header: string[];
  rows: string[][];
}

/** Every pipe table in a Markdown body, separator row dropped, cells trimmed, bold markers removed. */
function parseTables(body: string): MdTable[] {
  const tables: MdTable[] = [];
  let block: string[] = [];
  const flush = (): void => {
    if (block.length >= 2) {
      const split = (line: string): string[] =>
        line
          .trim()
          .replace(/^\|/, "")
          .replace(/\|$/, "")
          .split("|")
          .map((c) => c.replace(/\*\*/g, "").trim());
      const [head, sep, ...rows] = block;
      if (head !== undefined && sep !== undefined && /^[\s|:-]+$/.test(sep)) {
        tables.push({ header: split(head), rows: rows.map(split) });
      }
    }
    block = [];
  };
  for (const line of body.split("\n")) {
    if (line.trim().startsWith("|")) block.push(line);
    else flush();
  }
  flush();
  return tables;
}

function column(table: MdTable, name: string): number {
  const idx = table.header.findIndex((h) => h.toLowerCase() === name.toLowerCase());
  if (idx < 0) throw new Error(`table [${table.header.join(" | ")}] has no "${name}" column`);
  return idx;
}

function findTable(tables: MdTable[], firstHeader: string): MdTable {
  const found = tables.filter((t) => t.header[0]?.toLowerCase() === firstHeader.toLowerCase());
  if (found.length !== 1) throw new Error(`expected exactly one table starting with "${firstHeader}", found ${found.length}`);
  const [table] = found;
  if (table === undefined) throw new Error("unreachable");
  return table;
}

interface Agg {
  units: number;
  revenue: number;
}

function aggregate(rows: SalesRow[], key: (r: SalesRow) => string): Map<string, Agg> {
  const out = new Map<string, Agg>();
  for (const r of rows) {
    const k = key(r);
    const a = out.get(k) ?? { units: 0, revenue: 0 };
    a.units += r.units;
    a.revenue += r.revenue_usd;
    out.set(k, a);
  }
  return out;
}

function argmax(m: Map<string, Agg>): string {
  let best = "";
  let bestRevenue = -1;
  for (const [k, v] of m) {
    if (v.revenue > bestRevenue) {
      best = k;
      bestRevenue = v.revenue;
    }
  }
  return best;
}

/** Checks a keyed table (rows named by `keyColumn`) against aggregates; a "Total" row, if any, against `total`. */
function checkTable(table: MdTable, keyColumn: string, expected: Map<string, Agg>, total: Agg, where: string): void {
  const k = column(table, keyColumn);
  const u = column(table, "Units");
  const r = column(table, "Revenue");
  const seen = new Set<string>();
  for (const row of table.rows) {
    const key = row[k] ?? "";
    const units = parseAmount(row[u] ?? "");
    const revenue = parseAmount(row[r] ?? "");
    if (key.toLowerCase() === "total") {
      expect({ units, revenue }, `${where}: Total row`).toEqual(total);
      continue;
    }
    const want = expected.get(key);
    expect(want, `${where}: unknown ${keyColumn} "${key}"`).toBeDefined();
    expect({ units, revenue }, `${where}: ${key}`).toEqual(want);
    seen.add(key);
  }
  expect([...seen].sort(), `${where}: every ${keyColumn} listed once`).toEqual([...expected.keys()].sort());
  expect(table.rows.filter((row) => (row[k] ?? "").toLowerCase() !== "total").length, `${where}: no duplicate rows`).toBe(
    expected.size,
  );
}

const docs = loadCorpus();
const byId = new Map(docs.map((d) => [d.data.id, d]));

describe("corpus frontmatter", () => {
  it("has at least 60 documents over at least 6 topics", () => {
    expect(docs.length).toBeGreaterThanOrEqual(60);
    expect(new Set(docs.map((d) => d.data.topic)).size).toBeGreaterThanOrEqual(6);
  });

  it("uses ids equal to file names, unique", () => {
    for (const d of docs) expect(d.data.id, d.file).toBe(basename(d.file, ".md"));
    expect(byId.size).toBe(docs.length);
  });

  it("has real bodies with a heading", () => {
    for (const d of docs) {
      const words = d.body.split(/\s+/).filter(Boolean).length;
      expect(words, `${d.file} word count`).toBeGreaterThanOrEqual(120);
      expect(d.body, `${d.file} has a heading`).toMatch(/^#{1,3} \S/m);
    }
  });

  it("links every old version named in data/README.md to its replacement", () => {
    const pairs = docs.flatMap((d) => (d.data.supersedes ? [`${d.data.supersedes} -> ${d.data.id}`] : []));
    expect(pairs.sort()).toEqual(
      [
        "api-rate-limits-v1 -> api-rate-limits",
        "oncall-runbook-2022 -> oncall-runbook",
        "price-list-2024 -> price-list-2025",
        "pto-policy-2023 -> pto-policy",
        "returns-policy-2023 -> returns-policy",
      ].sort(),
    );
  });

  it("has no update date in the future of the data set", () => {
    for (const d of docs) expect(d.data.updated <= "2026-12-31", d.file).toBe(true);
  });
});

describe("sales data", () => {
  it("sales.csv has the agreed columns and valid rows", () => {
    expect(csvHeader(SALES_CSV)).toEqual([
      "month",
      "quarter",
      "region",
      "product_id",
      "product_name",
      "category",
      "units",
      "revenue_usd",
      "channel",
    ]);
  });

  const sales: SalesRow[] = readCsv(SALES_CSV).map((r) => SalesRowSchema.parse(r));
  const products = readCsv(PRODUCTS_CSV).map((r) => ProductRowSchema.parse(r));
  const productIds = new Set(products.map((p) => p.product_id));

  it("rows are consistent: quarter matches month, products match products.csv", () => {
    expect(sales.length).toBeGreaterThan(100);
    expect(csvHeader(PRODUCTS_CSV)).toEqual(["product_id", "product_name", "category", "list_price_usd", "launch_date"]);
    const product = new Map(products.map((p) => [p.product_id, p]));
    for (const r of sales) {
      const m = Number(r.month.slice(5));
      expect(r.quarter).toBe(`2025-Q${Math.ceil(m / 3)}`);
      const p = product.get(r.product_id);
      expect(p, r.product_id).toBeDefined();
      expect(r.product_name).toBe(p?.product_name);
      expect(r.category).toBe(p?.category);
      // Net price never exceeds list price.
      expect(r.revenue_usd).toBeLessThanOrEqual(r.units * (p?.list_price_usd ?? 0));
    }
    expect(new Set(sales.map((r) => r.quarter)).size).toBe(4);
  });

  it("the current price list agrees with products.csv", () => {
    const doc = byId.get("price-list-2025");
    expect(doc).toBeDefined();
    if (doc === undefined) return;
    // The main price table (SKU | Product | ... ); the accessories table has an "Item" column instead.
    const table = findTable(
      parseTables(doc.body).filter((t) => t.header.includes("Product")),
      "SKU",
    );
    const sku = column(table, "SKU");
    const price = column(table, "List price (USD)");
    const listed = new Map(table.rows.map((row) => [row[sku] ?? "", parseAmount(row[price] ?? "")]));
    for (const p of products) expect(listed.get(p.product_id), p.product_id).toBe(p.list_price_usd);
  });

  const totals = new Map(QUARTERS.map((q) => [q, aggregate(sales.filter((r) => r.quarter === q), () => "all").get("all")]));

  describe.each(QUARTERS.map((q, i) => ({ q, i })))("quarterly report $q", ({ q, i }) => {
    const n = q.slice(-1);
    const id = `sales-report-2025-q${n}`;
    const rows = sales.filter((r) => r.quarter === q);
    const total = totals.get(q);

    it("exists with the expected title and topic", () => {
      const doc = byId.get(id);
      expect(doc, id).toBeDefined();
      expect(doc?.data.topic).toBe("sales");
      expect(doc?.data.title).toBe(`Q${n} 2025 Sales Report`);
    });

    it("states the quarter total in its first paragraph", () => {
      const doc = byId.get(id);
      if (doc === undefined || total === undefined) throw new Error(`missing ${id}`);
      const firstParagraph = doc.body
        .split(/\n\s*\n/)
        .map((p) => p.trim())
        .find((p) => p !== "" && !p.startsWith("#"));
      expect(firstParagraph, id).toContain(`total revenue for Q${n} 2025 was ${money(total.revenue)}`);
    });

    it("region and product tables match sales.csv", () => {
      const doc = byId.get(id);
      if (doc === undefined || total === undefined) throw new Error(`missing ${id}`);
      const tables = parseTables(doc.body);
      checkTable(findTable(tables, "Region"), "Region", aggregate(rows, (r) => r.region), total, `${id} region table`);
      checkTable(findTable(tables, "Product ID"), "Product ID", aggregate(rows, (r) => r.product_id), total, `${id} product table`);
    });

    it("headline claims (top region, top product, growth) match sales.csv", () => {
      const doc = byId.get(id);
      if (doc === undefined || total === undefined) throw new Error(`missing ${id}`);
      const topRegion = /^- Top region: \**([A-Za-z ]+?)\**(?: \(|$)/m.exec(doc.body)?.[1];
      expect(topRegion, `${id} "- Top region:" line`).toBe(argmax(aggregate(rows, (r) => r.region)));
      const topProduct = /^- Top product: .*\((ACME-[A-Z][0-9]+)\)/m.exec(doc.body)?.[1];
      expect(topProduct, `${id} "- Top product:" line`).toBe(argmax(aggregate(rows, (r) => r.product_id)));
      // "...% over Q<n> 2025" is reserved for quarter-over-quarter growth of the total.
      for (const m of doc.body.matchAll(/(-?[0-9]+\.[0-9])% over Q([1-4]) 2025/g)) {
        const prev = totals.get(`2025-Q${m[2] ?? ""}` as (typeof QUARTERS)[number]);
        expect(prev, `${id}: ${m[0]}`).toBeDefined();
        if (prev === undefined) continue;
        const growth = ((total.revenue - prev.revenue) / prev.revenue) * 100;
        expect(m[1], `${id}: ${m[0]}`).toBe(growth.toFixed(1));
      }
      if (i > 0) expect(doc.body, `${id} states growth over the previous quarter`).toMatch(new RegExp(`% over Q${i} 2025`));
    });
  });

  describe("annual report", () => {
    const id = "sales-report-2025-annual";
    const year = aggregate(sales, () => "all").get("all");

    it("states the FY2025 total and its tables match sales.csv", () => {
      const doc = byId.get(id);
      if (doc === undefined || year === undefined) throw new Error(`missing ${id}`);
      expect(doc.data.topic).toBe("sales");
      const firstParagraph = doc.body
        .split(/\n\s*\n/)
        .map((p) => p.trim())
        .find((p) => p !== "" && !p.startsWith("#"));
      expect(firstParagraph).toContain(`total revenue for fiscal year 2025 was ${money(year.revenue)}`);
      const tables = parseTables(doc.body);
      checkTable(findTable(tables, "Quarter"), "Quarter", aggregate(sales, (r) => r.quarter), year, `${id} quarter table`);
      checkTable(findTable(tables, "Region"), "Region", aggregate(sales, (r) => r.region), year, `${id} region table`);
      checkTable(findTable(tables, "Product ID"), "Product ID", aggregate(sales, (r) => r.product_id), year, `${id} product table`);
      const topRegion = /^- Top region: \**([A-Za-z ]+?)\**(?: \(|$)/m.exec(doc.body)?.[1];
      expect(topRegion).toBe(argmax(aggregate(sales, (r) => r.region)));
    });
  });

  it("no document outside the sales reports states a quarterly or annual revenue total", () => {
    for (const d of docs) {
      if (d.data.id.startsWith("sales-report-2025-")) continue;
      expect(d.body, d.file).not.toMatch(/total revenue for (Q[1-4] 2025|fiscal year 2025)/i);
    }
  });

  it("every product in sales.csv is documented in the corpus", () => {
    const corpusText = docs.map((d) => d.body).join("\n");
    for (const pid of productIds) expect(corpusText, pid).toContain(pid);
  });
});
