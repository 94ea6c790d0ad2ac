import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { HashingTestEmbedder } from "@/test-support/embeddings/hashing-test-embedder";
import { HnswStore } from "../vectorstore/hnsw-store";
import { chunkDocument, locate, textForEmbedding } from "./chunker";
import { loadCorpus, parseCorpusFile } from "./corpus";
import { formatIngestSummary, ingestCorpus } from "./ingest";
import { TEST_DOCS, writeTestDoc } from "@/test-support/ingest/test-corpus";

let root: string;
let corpusDir: string;
let indexDir: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "ingest-"));
  corpusDir = path.join(root, "corpus");
  indexDir = path.join(root, "index");
  for (const doc of TEST_DOCS) writeTestDoc(corpusDir, doc);
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

// Small chunks so every test document yields several.
const chunking = { size: 120, overlap: 30 };
const run = (embedder: HashingTestEmbedder) => ingestCorpus({ corpusDir, indexDir, chunking, embedder, batchSize: 4 });

describe("corpus parsing", () => {
  it("validates the frontmatter and names the file", () => {
    expect(() => parseCorpusFile("bad.md", "---\nid: x\ntopic: t\nupdated: 2024-01-01\n---\nbody")).toThrow(
      expect.objectContaining({ code: "corpus_invalid", message: expect.stringMatching(/^bad\.md: .*title/) }),
    );
    expect(() => parseCorpusFile("b.md", "---\nid: x\ntitle: T\ntopic: t\nupdated: yesterday\n---\nbody")).toThrow(/b\.md: updated/);
    expect(() => parseCorpusFile("c.md", "no frontmatter at all")).toThrow(/c\.md/);
    expect(() => parseCorpusFile("d.md", "---\nid: x\ntitle: T\ntopic: t\nupdated: 2024-01-01\n---\n  \n")).toThrow(/d\.md: empty body/);
    expect(() => parseCorpusFile("e.md", "---\nid: [oops\n---\nbody")).toThrow(/e\.md: invalid frontmatter/);
  });

  it("turns YAML dates into strings", () => {
    const doc = parseCorpusFile("ok.md", "---\nid: ok\ntitle: OK\ntopic: t\nupdated: 2024-02-03\n---\nHello");
    expect(doc).toMatchObject({ id: "ok", title: "OK", topic: "t", updated: "2024-02-03", source: "ok.md", body: "Hello" });
  });

  it("rejects duplicate ids and a missing directory", () => {
    writeTestDoc(corpusDir, { ...TEST_DOCS[0]!, id: "refund-policy" });
    fs.copyFileSync(path.join(corpusDir, "refund-policy.md"), path.join(corpusDir, "zz-copy.md"));
    expect(() => loadCorpus(corpusDir)).toThrow(/zz-copy\.md: duplicate id "refund-policy"/);
    expect(() => loadCorpus(path.join(root, "nope"))).toThrow(expect.objectContaining({ code: "corpus_invalid" }));
  });
});

describe("chunking", () => {
  it("records offsets that point at the chunk text in the body", async () => {
    const [doc] = loadCorpus(corpusDir);
    const chunks = await chunkDocument(doc!, chunking);
    expect(chunks.length).toBeGreaterThan(1);
    chunks.forEach((c, i) => {
      expect(c.id).toBe(`${doc!.id}#${i}`);
      expect(doc!.body.slice(c.start, c.end)).toBe(c.text);
      expect(c.text.length).toBeLessThanOrEqual(chunking.size);
    });
    for (let i = 1; i < chunks.length; i++) expect(chunks[i]!.start).toBeGreaterThan(chunks[i - 1]!.start);
  });

  it("finds repeated text at the right occurrence and tolerates whitespace changes", () => {
    const body = "alpha beta. alpha beta. gamma";
    expect(locate(body, "alpha beta.", 1)).toEqual({ start: 12, end: 23 });
    expect(locate("one  two\nthree", "one two three", 0)).toEqual({ start: 0, end: 14 });
  });

  it("embeds the title with the chunk but stores the raw text", () => {
    expect(textForEmbedding({ title: "T", text: "body" })).toBe("T\n\nbody");
  });
});

describe("incremental ingest", () => {
  it("embeds everything once, then nothing when nothing changed", async () => {
    const embedder = new HashingTestEmbedder();
    const first = await run(embedder);
    expect(first).toMatchObject({ added: 4, updated: 0, removed: 0, unchanged: 0, documents: 4, saved: true, rebuilt: true });
    expect(first.chunksEmbedded).toBe(first.chunks);
    expect(embedder.embedded).toHaveLength(first.chunks);
    expect(embedder.embedded.every((t) => TEST_DOCS.some((d) => t.startsWith(`${d.title}\n\n`)))).toBe(true);

    const again = new HashingTestEmbedder();
    const second = await run(again);
    expect(second).toMatchObject({ added: 0, updated: 0, removed: 0, unchanged: 4, chunksEmbedded: 0, saved: false, chunks: first.chunks });
    expect(again.embedded).toHaveLength(0);
    expect(formatIngestSummary(second)).toMatch(/^Index up to date: 4 documents unchanged, 0 chunks embedded/);
  });

  it("refuses a second ingest of the same index while one runs, and leaves the first one's index whole", async () => {
    let proceed: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (proceed = resolve));
    const slow = new HashingTestEmbedder();
    const embed = slow.embedDocuments.bind(slow);
    slow.embedDocuments = async (texts) => {
      await held;
      return embed(texts);
    };
    const first = run(slow);
    await vi.waitFor(() => expect(fs.existsSync(`${indexDir}.lock`)).toBe(true));
    const second: unknown = await run(new HashingTestEmbedder()).catch((e: unknown) => e);
    expect(second).toMatchObject({ code: "resource_busy" });
    proceed();
    expect(await first).toMatchObject({ added: TEST_DOCS.length });
    expect(await run(new HashingTestEmbedder())).toMatchObject({ unchanged: TEST_DOCS.length, chunksEmbedded: 0 });
  });

  it("re-embeds only the edited document and drops its old chunks", async () => {
    await run(new HashingTestEmbedder());
    writeTestDoc(corpusDir, {
      ...TEST_DOCS[1]!,
      body: "# Password reset\n\nPasswords are now reset with a passkey prompt on your phone.\n",
    });
    const embedder = new HashingTestEmbedder();
    const summary = await run(embedder);
    expect(summary).toMatchObject({ added: 0, updated: 1, removed: 0, unchanged: 3, chunksEmbedded: 1 });
    expect(embedder.embedded).toEqual([
      "Resetting your password\n\n# Password reset\n\nPasswords are now reset with a passkey prompt on your phone.",
    ]);
    const store = await HnswStore.load(indexDir);
    expect(store.getDocument("password-reset")!.chunkIds).toEqual(["password-reset#0"]);
    expect(store.getChunk("password-reset#1")).toBeUndefined();
    const hits = store.searchVector(embedder.vector("reset link expires after one hour"), { k: 20 });
    expect(hits.some((h) => h.text.includes("expires after one hour"))).toBe(false);
  });

  it("removes deleted documents from search and adds new ones", async () => {
    await run(new HashingTestEmbedder());
    fs.rmSync(path.join(corpusDir, "shipping-times.md"));
    writeTestDoc(corpusDir, { id: "warranty", title: "Warranty", topic: "billing", body: "Every device has a two year warranty." });
    const summary = await run(new HashingTestEmbedder());
    expect(summary).toMatchObject({ added: 1, updated: 0, removed: 1, unchanged: 3, chunksEmbedded: 1, documents: 4 });
    const store = await HnswStore.load(indexDir);
    const probe = new HashingTestEmbedder();
    expect(store.searchVector(probe.vector("express shipping customs parcels"), { k: 50 }).some((h) => h.docId === "shipping-times")).toBe(
      false,
    );
    expect(store.searchVector(probe.vector("two year warranty"), { k: 1, topic: "billing" })[0]!.docId).toBe("warranty");
  });

  it("re-embeds everything when the chunking settings change", async () => {
    await run(new HashingTestEmbedder());
    const summary = await ingestCorpus({ corpusDir, indexDir, chunking: { size: 200, overlap: 0 }, embedder: new HashingTestEmbedder() });
    expect(summary).toMatchObject({ updated: 4, unchanged: 0 });
  });

  it("rebuilds when the index was made with another model", async () => {
    await run(new HashingTestEmbedder());
    class OtherModel extends HashingTestEmbedder {
      override readonly modelName: string = "other-model";
    }
    const summary = await run(new OtherModel());
    expect(summary).toMatchObject({ added: 4, rebuilt: true });
    expect((await HnswStore.load(indexDir)).modelName).toBe("other-model");
  });

  it("reports progress over chunks and fails cleanly on a bad file", async () => {
    const seen: number[] = [];
    let planned = 0;
    await ingestCorpus({
      corpusDir,
      indexDir,
      chunking,
      embedder: new HashingTestEmbedder(),
      batchSize: 3,
      onPlan: (p) => (planned = p.chunksToEmbed),
      onProgress: (done) => seen.push(done),
    });
    expect(seen.at(-1)).toBe(planned);
    fs.writeFileSync(path.join(corpusDir, "broken.md"), "---\nid: broken\n---\ntext");
    await expect(run(new HashingTestEmbedder())).rejects.toMatchObject({
      code: "corpus_invalid",
      message: expect.stringMatching(/^broken\.md:/),
    });
  });
});
