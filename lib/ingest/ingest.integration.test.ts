import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { getEmbedder } from "../embeddings/transformers-embedder";
import type { Embedder } from "../embeddings/types";
import { KnowledgeBase } from "../vectorstore/knowledge-base";
import { ingestCorpus } from "./ingest";
import { TEST_DOCS, writeTestDoc } from "@/test-support/ingest/test-corpus";

/** Counts what reaches the real model. */
class CountingEmbedder implements Embedder {
  readonly texts: string[] = [];
  constructor(private readonly inner: Embedder) {}
  get modelName() {
    return this.inner.modelName;
  }
  get dimensions() {
    return this.inner.dimensions;
  }
  embedDocuments(texts: string[]) {
    this.texts.push(...texts);
    return this.inner.embedDocuments(texts);
  }
  embedQuery(text: string) {
    return this.inner.embedQuery(text);
  }
}

describe("ingest + knowledge base with the real model", () => {
  const config = loadConfig();
  const real = getEmbedder(config);
  let root: string;
  let corpusDir: string;
  let indexDir: string;
  const chunking = { size: 200, overlap: 40 };
  const ingest = (embedder: Embedder) => ingestCorpus({ corpusDir, indexDir, chunking, embedder, batchSize: 8 });

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "ingest-int-"));
    corpusDir = path.join(root, "corpus");
    indexDir = path.join(root, "index");
    for (const doc of TEST_DOCS) writeTestDoc(corpusDir, doc);
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it("reports a missing index with the command that builds it", async () => {
    const kb = new KnowledgeBase(real, indexDir);
    await expect(kb.search("refunds", { k: 2 })).rejects.toMatchObject({
      code: "index_missing",
      message: expect.stringContaining("npm run ingest"),
    });
  });

  it("ingests a tiny corpus and finds the right document", async () => {
    const counting = new CountingEmbedder(real);
    const summary = await ingest(counting);
    expect(summary).toMatchObject({ added: 4, unchanged: 0 });
    expect(counting.texts).toHaveLength(summary.chunks);
    const kb = new KnowledgeBase(real, indexDir, { efSearch: 32 });
    const hits = await kb.search("How long do I have to ask for my money back?", { k: 2 });
    expect(hits[0]!.docId).toBe("refund-policy");
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score - 1e-9);
    expect(hits[0]!.score).toBeGreaterThan(0.3);
    const topical = await kb.search("How long do I have to ask for my money back?", { k: 3, topic: "developers" });
    expect(topical.length).toBeGreaterThan(0);
    expect(topical.every((h) => h.topic === "developers")).toBe(true);
  });

  it("re-embeds nothing the second time", async () => {
    const counting = new CountingEmbedder(real);
    const summary = await ingest(counting);
    expect(summary).toMatchObject({ added: 0, updated: 0, removed: 0, unchanged: 4, chunksEmbedded: 0, saved: false });
    expect(counting.texts).toHaveLength(0);
  });

  it("re-embeds only the edited document", async () => {
    writeTestDoc(corpusDir, {
      ...TEST_DOCS[3]!,
      body: "# Rate limits\n\nThe public API now allows 500 requests per minute per key and bursts up to 50 requests per second.\n",
    });
    const counting = new CountingEmbedder(real);
    const summary = await ingest(counting);
    expect(summary).toMatchObject({ updated: 1, unchanged: 3, chunksEmbedded: 1 });
    expect(counting.texts).toEqual([expect.stringMatching(/^API rate limits\n\n# Rate limits/)]);
    const kb = new KnowledgeBase(real, indexDir);
    const [hit] = await kb.search("how many API requests per minute are allowed", { k: 1 });
    expect(hit).toMatchObject({ docId: "api-rate-limits" });
    expect(hit!.text).toContain("500 requests");
  });

  it("removes a deleted document's chunks from search results", async () => {
    const kb = new KnowledgeBase(real, indexDir); // opened before the change: must pick up the new index
    expect((await kb.search("international parcels customs", { k: 1 }))[0]!.docId).toBe("shipping-times");
    fs.rmSync(path.join(corpusDir, "shipping-times.md"));
    const summary = await ingest(new CountingEmbedder(real));
    expect(summary).toMatchObject({ removed: 1, chunksEmbedded: 0, documents: 3 });
    const hits = await kb.search("international parcels customs", { k: 10 });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.some((h) => h.docId === "shipping-times")).toBe(false);
  });
});
