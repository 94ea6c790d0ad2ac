import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HashingTestEmbedder } from "@/test-support/embeddings/hashing-test-embedder";
import { startThrowawayPostgres } from "@/test-support/postgres/throwaway-postgres";
import { loadConfig } from "../config";
import { getEmbedder } from "../embeddings/transformers-embedder";
import type { Embedder } from "../embeddings/types";
import { ingestCorpus } from "../ingest/ingest";
import { ingestCorpusToPostgres } from "../ingest/pg-ingest";
import type { LocalPostgres } from "../postgres/local-postgres";
import { closePools, createPool } from "../postgres/pool";
import { KnowledgeBase, knowledgeBaseProblem } from "./knowledge-base";
import { PgKnowledgeBase } from "./pg-knowledge-base";

// The real corpus and the real embedding model into a throwaway PostgreSQL (pgvector) and into
// the on-disk HNSW index, side by side.
const repoRoot = path.resolve(__dirname, "..", "..");
const config = loadConfig();

/** Embeds each distinct text once, so the second store gets the first one's vectors. */
class MemoEmbedder implements Embedder {
  private readonly memo = new Map<string, Float32Array>();
  documentTexts = 0;
  constructor(private readonly inner: Embedder) {}
  get modelName() {
    return this.inner.modelName;
  }
  get dimensions() {
    return this.inner.dimensions;
  }
  async embedDocuments(texts: string[]) {
    this.documentTexts += texts.length;
    const todo = [...new Set(texts.filter((t) => !this.memo.has(t)))];
    const vectors = todo.length ? await this.inner.embedDocuments(todo) : [];
    todo.forEach((t, i) => this.memo.set(t, vectors[i]!));
    return texts.map((t) => this.memo.get(t)!);
  }
  embedQuery(text: string) {
    return this.inner.embedQuery(text);
  }
}

const QUESTIONS = [
  "How many requests per minute does the Fleet API allow?",
  "How long do you keep customer data after an account is closed?",
  "Do nonprofits get a discount?",
  "How do I authenticate to the API?",
  "What does the acceptable use policy forbid?",
];

let db: LocalPostgres;
let pool: pg.Pool;
let work: string;
let corpusDir: string;
const embedder = new MemoEmbedder(getEmbedder(config));

beforeAll(async () => {
  db = await startThrowawayPostgres(repoRoot);
  pool = createPool({ url: db.url, poolMax: 6, connectTimeoutMs: 5_000 });
  work = fs.mkdtempSync(path.join(os.tmpdir(), "pg-kb-"));
  corpusDir = path.join(work, "corpus");
  fs.cpSync(config.corpusDir, corpusDir, { recursive: true });
});
afterAll(async () => {
  await closePools();
  await pool?.end();
  await db?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

describe("the knowledge base on pgvector", () => {
  const withDatabase = (url: string) => ({ ...config, database: { url, poolMax: 2, connectTimeoutMs: 2_000 } });

  it("answers an empty database with index_missing, and readiness says what to run", async () => {
    await expect(new PgKnowledgeBase(embedder, pool).search("refunds", { k: 2 })).rejects.toMatchObject({ code: "index_missing" });
    expect(await knowledgeBaseProblem(withDatabase(db.url))).toMatch(/^index: run `npm run ingest`/);
    expect(await knowledgeBaseProblem(withDatabase(db.url.replace(`:${db.port}/`, ":1/")))).toMatch(/^database:/);
  });

  it("ingests the real corpus and finds the same top document as the HNSW index", async () => {
    const pgSummary = await ingestCorpusToPostgres({ pool, corpusDir, chunking: config.chunking, embedder, batchSize: 16 });
    const indexDir = path.join(work, "index");
    const hnswSummary = await ingestCorpus({ corpusDir, indexDir, chunking: config.chunking, embedder });
    expect(pgSummary).toMatchObject({ rebuilt: true, saved: true, documents: hnswSummary.documents, chunks: hnswSummary.chunks });
    expect(pgSummary.chunks).toBeGreaterThan(100);

    const inPg = new PgKnowledgeBase(embedder, pool);
    const inProcess = new KnowledgeBase(embedder, indexDir);
    for (const question of QUESTIONS) {
      const [a, b] = await Promise.all([inPg.search(question, { k: 4 }), inProcess.search(question, { k: 4 })]);
      expect(a[0]?.docId, question).toBe(b[0]?.docId);
      expect(a[0]!.score).toBeCloseTo(b[0]!.score, 4);
      expect(a.map((c) => c.id)).toEqual(b.map((c) => c.id));
    }
    expect(await knowledgeBaseProblem(withDatabase(db.url))).toBeUndefined();
    const topic = await inPg.search("refunds", { k: 3, topic: "engineering" });
    expect(topic).toHaveLength(3);
    expect(topic.every((c) => c.topic === "engineering")).toBe(true);
  });

  it("re-ingests only the changed file, and a replica sees the change on its next search", async () => {
    const replica = new PgKnowledgeBase(embedder, pool);
    const question = "What is the flamingo escalation code?";
    const before = await replica.search(question, { k: 1 });
    const file = path.join(corpusDir, "api-rate-limits.md");
    fs.appendFileSync(file, "\n\n## Escalation\n\nThe flamingo escalation code for rate-limit incidents is FLAMINGO-7.\n");
    embedder.documentTexts = 0;
    const summary = await ingestCorpusToPostgres({ pool, corpusDir, chunking: config.chunking, embedder });
    expect(summary).toMatchObject({ updated: 1, added: 0, removed: 0, rebuilt: false });
    expect(summary.unchanged).toBe(summary.documents - 1);
    expect(embedder.documentTexts).toBe(summary.chunksEmbedded);
    const after = await replica.search(question, { k: 1 });
    expect(after[0]?.docId).toBe("api-rate-limits");
    expect(after[0]!.text).toContain("FLAMINGO-7");
    expect(before[0]?.text ?? "").not.toContain("FLAMINGO-7");
    expect((await ingestCorpusToPostgres({ pool, corpusDir, chunking: config.chunking, embedder })).saved).toBe(false);
  });

  it("never shows a concurrent reader a half-applied ingest", async () => {
    // A separate table set and a fast stand-in embedder: this is about transactions, not meaning.
    const prefix = "kbtx";
    const fake = new HashingTestEmbedder();
    const ingest = (size: number) => ingestCorpusToPostgres({ pool, prefix, corpusDir, chunking: { size, overlap: 0 }, embedder: fake });
    const first = await ingest(400);
    const consistent = `SELECT (SELECT count(*)::int FROM kbtx_chunks) AS chunks,
      (SELECT coalesce(sum(jsonb_array_length(record->'chunkIds')), 0)::int FROM kbtx_documents) AS listed`;
    const seen = new Set<number>();
    let stop = false;
    let reads = 0;
    const reader = (async () => {
      while (!stop) {
        const { rows } = await pool.query<{ chunks: number; listed: number }>(consistent);
        expect(rows[0]!.chunks).toBe(rows[0]!.listed);
        seen.add(rows[0]!.chunks);
        reads++;
      }
    })();
    // Changing the chunk size replaces every document's chunks (hundreds of rows and HNSW entries).
    const second = await ingest(150);
    const third = await ingest(400);
    stop = true;
    await reader;
    expect(second).toMatchObject({ updated: first.documents, rebuilt: false });
    expect(second.chunks).toBeGreaterThan(first.chunks);
    expect(reads).toBeGreaterThan(5);
    expect([...seen].every((n) => n === first.chunks || n === second.chunks || n === third.chunks)).toBe(true);
  });

  it("refuses a second ingest while one runs", async () => {
    const slow: Embedder = {
      modelName: "hashing-test-embedder",
      dimensions: 384,
      embedQuery: (t) => new HashingTestEmbedder().embedQuery(t),
      embedDocuments: async (texts) => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        return new HashingTestEmbedder().embedDocuments(texts);
      },
    };
    const ingest = (size: number) =>
      ingestCorpusToPostgres({ pool, prefix: "kbtx", corpusDir, chunking: { size, overlap: 0 }, embedder: slow });
    const running = ingest(300);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expect(ingest(350)).rejects.toMatchObject({ code: "resource_busy" });
    await running;
  });
});
