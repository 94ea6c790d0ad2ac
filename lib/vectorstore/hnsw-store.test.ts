import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AppError } from "../errors";
import { ExactSearcher } from "./exact-searcher";
import { HnswStore } from "./hnsw-store";
import { DOCSTORE_FILE } from "./hnsw-store-files";
import type { Chunk } from "./types";

const DIM = 8;
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "hnsw-store-"));
});
afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Deterministic pseudo-random unit vectors. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}
function unit(values: number[]): Float32Array {
  const n = Math.hypot(...values) || 1;
  return Float32Array.from(values.map((v) => v / n));
}
function randomVectors(count: number, seed = 1, dim = DIM): Float32Array[] {
  const r = rng(seed);
  return Array.from({ length: count }, () => unit(Array.from({ length: dim }, r)));
}
function chunk(docId: string, ordinal: number, topic = "general"): Chunk {
  return { id: `${docId}#${ordinal}`, docId, title: `Title ${docId}`, topic, text: `text ${docId} ${ordinal}`, start: 0, end: 10 };
}
function addDoc(store: HnswStore, docId: string, vectors: Float32Array[], topic = "general"): Chunk[] {
  const chunks = vectors.map((_, i) => chunk(docId, i, topic));
  store.upsertDocument({ docId, hash: `h-${docId}`, title: `Title ${docId}`, topic }, chunks, vectors);
  return chunks;
}
const newStore = (initialCapacity = 16) => HnswStore.create({ dir, dimensions: DIM, modelName: "test-model", initialCapacity });

describe("HnswStore", () => {
  it("returns cosine similarity scores, best first", () => {
    const store = newStore();
    const e = (i: number) => unit(Array.from({ length: DIM }, (_, j) => (j === i ? 1 : 0)));
    addDoc(store, "a", [e(0)]);
    addDoc(store, "b", [unit([1, 1, 0, 0, 0, 0, 0, 0])]);
    addDoc(store, "c", [e(1).map((v) => -v)]);
    const results = store.searchVector(e(0), { k: 3 });
    expect(results.map((r) => r.docId)).toEqual(["a", "b", "c"]);
    expect(results[0]!.score).toBeCloseTo(1, 5);
    expect(results[1]!.score).toBeCloseTo(Math.SQRT1_2, 5);
    expect(results[2]!.score).toBeCloseTo(0, 5);
    expect(results[0]).toMatchObject({ id: "a#0", title: "Title a", topic: "general", text: "text a 0" });
  });

  it("clamps k to the number of chunks and handles an empty store", () => {
    const store = newStore();
    expect(store.searchVector(randomVectors(1)[0]!, { k: 5 })).toEqual([]);
    addDoc(store, "a", randomVectors(2));
    expect(store.searchVector(randomVectors(1, 9)[0]!, { k: 50 })).toHaveLength(2);
  });

  it("filters by topic inside the search", () => {
    const store = newStore(64);
    const vectors = randomVectors(60, 3);
    vectors.forEach((v, i) => addDoc(store, `d${i}`, [v], i % 10 === 0 ? "rare" : "common"));
    const results = store.searchVector(vectors[1]!, { k: 4, topic: "rare" });
    expect(results).toHaveLength(4);
    expect(results.every((r) => r.topic === "rare")).toBe(true);
    expect(store.searchVector(vectors[1]!, { k: 4, topic: "nope" })).toEqual([]);
  });

  it("deletes a document's chunks and reuses their slots", () => {
    const store = newStore(16);
    const va = randomVectors(3, 4);
    addDoc(store, "a", va);
    addDoc(store, "b", randomVectors(3, 5));
    expect(store.size).toBe(6);
    expect(store.deleteDocument("a")).toBe(true);
    expect(store.deleteDocument("a")).toBe(false);
    expect(store.size).toBe(3);
    expect(store.getDocument("a")).toBeUndefined();
    expect(store.getChunk("a#0")).toBeUndefined();
    const hits = store.searchVector(va[0]!, { k: 10 });
    expect(hits.some((h) => h.docId === "a")).toBe(false);
    addDoc(store, "c", randomVectors(3, 6));
    expect(store.capacity).toBe(16);
  });

  it("replaces a document's chunks on upsert", () => {
    const store = newStore();
    addDoc(store, "a", randomVectors(4, 7));
    const v = randomVectors(1, 8);
    addDoc(store, "a", v);
    expect(store.size).toBe(1);
    expect(store.getDocument("a")!.chunkIds).toEqual(["a#0"]);
    expect(store.searchVector(v[0]!, { k: 1 })[0]!.score).toBeCloseTo(1, 5);
  });

  it("grows when full", () => {
    const store = newStore(16);
    const vectors = randomVectors(100, 11);
    vectors.forEach((v, i) => addDoc(store, `d${i}`, [v]));
    expect(store.size).toBe(100);
    expect(store.capacity).toBeGreaterThanOrEqual(100);
    expect(store.searchVector(vectors[77]!, { k: 1 })[0]!.docId).toBe("d77");
  });

  it("rejects vectors of the wrong size", () => {
    const store = newStore();
    expect(() => addDoc(store, "a", randomVectors(1, 1, DIM + 1))).toThrow(/dimensions/);
  });

  it("round-trips through save and load", async () => {
    const store = newStore(16);
    const vectors = randomVectors(40, 12);
    vectors.forEach((v, i) => addDoc(store, `d${i}`, [v], i % 2 ? "odd" : "even"));
    store.deleteDocument("d3");
    await store.save();
    expect(store.isDirty).toBe(false);
    const loaded = await HnswStore.load(dir, { expectedModel: "test-model", expectedDimensions: DIM });
    expect(loaded.size).toBe(39);
    expect(
      loaded
        .documents()
        .map((d) => d.docId)
        .sort(),
    ).toEqual(
      store
        .documents()
        .map((d) => d.docId)
        .sort(),
    );
    expect(loaded.getDocument("d5")).toMatchObject({ hash: "h-d5", chunkIds: ["d5#0"], topic: "odd" });
    for (const q of [vectors[0]!, vectors[3]!, vectors[20]!]) {
      expect(loaded.searchVector(q, { k: 5 })).toEqual(store.searchVector(q, { k: 5 }));
      expect(loaded.searchVector(q, { k: 3, topic: "odd" }).every((r) => r.topic === "odd")).toBe(true);
    }
    // Labels keep counting after a reload: new chunks never collide with old ones.
    addDoc(loaded, "new", randomVectors(1, 99));
    expect(loaded.size).toBe(40);
    expect(loaded.getChunk("d5#0")).toMatchObject({ docId: "d5" });
    const usage = loaded.diskUsage();
    expect(usage.indexBytes).toBeGreaterThan(0);
    expect(usage.docstoreBytes).toBeGreaterThan(0);
  });

  it("keeps only one index file after repeated saves", async () => {
    const store = newStore();
    addDoc(store, "a", randomVectors(2));
    await store.save();
    addDoc(store, "b", randomVectors(2, 2));
    await store.save();
    const files = fs.readdirSync(dir).sort();
    expect(files.filter((f) => f.endsWith(".hnsw"))).toHaveLength(1);
    expect(files.some((f) => f.endsWith(".tmp"))).toBe(false);
  });

  it("throws index_missing with the fix when there is no index", async () => {
    await expect(HnswStore.load(dir)).rejects.toMatchObject({ code: "index_missing", message: expect.stringContaining("npm run ingest") });
    fs.writeFileSync(path.join(dir, DOCSTORE_FILE), "{not json");
    await expect(HnswStore.load(dir)).rejects.toBeInstanceOf(AppError);
  });

  it("rejects an index built with another model", async () => {
    const store = newStore();
    addDoc(store, "a", randomVectors(1));
    await store.save();
    await expect(HnswStore.load(dir, { expectedModel: "other" })).rejects.toMatchObject({ code: "index_missing" });
  });

  it("never loads a half-written index", async () => {
    const store = newStore();
    const va = randomVectors(2, 21);
    addDoc(store, "a", va);
    await store.save();
    const saved = JSON.parse(fs.readFileSync(path.join(dir, DOCSTORE_FILE), "utf8")) as { index: { file: string } };

    // A crash before the docstore rename: the new index file exists, but the old pair still loads.
    addDoc(store, "b", randomVectors(2, 22));
    const realRename = fs.renameSync;
    vi.spyOn(fs, "renameSync").mockImplementation((from, to) => {
      if (String(to).endsWith(DOCSTORE_FILE)) throw new Error("simulated crash");
      realRename(from, to);
    });
    await expect(store.save()).rejects.toMatchObject({ code: "internal" });
    vi.restoreAllMocks();
    const loaded = await HnswStore.load(dir);
    expect(loaded.documents().map((d) => d.docId)).toEqual(["a"]);
    expect(loaded.searchVector(va[0]!, { k: 1 })[0]!.id).toBe("a#0");

    // A truncated index file is refused rather than loaded.
    const indexPath = path.join(dir, saved.index.file);
    fs.truncateSync(indexPath, Math.floor(fs.statSync(indexPath).size / 2));
    await expect(HnswStore.load(dir)).rejects.toMatchObject({ code: "index_missing" });
  });
});

describe("ExactSearcher", () => {
  it("agrees with HNSW on a small store and supports the topic filter", () => {
    const store = newStore(256);
    const vectors = randomVectors(200, 31);
    vectors.forEach((v, i) => addDoc(store, `d${i}`, [v], i % 3 === 0 ? "x" : "y"));
    store.deleteDocument("d0");
    const exact = new ExactSearcher(store);
    for (const q of randomVectors(10, 32)) {
      const a = exact.searchVector(q, { k: 5 });
      const h = store.searchVector(q, { k: 5 });
      expect(h.map((r) => r.id)).toEqual(a.map((r) => r.id));
      h.forEach((r, i) => expect(r.score).toBeCloseTo(a[i]!.score, 4));
      expect(exact.searchVector(q, { k: 5, topic: "x" }).every((r) => r.topic === "x")).toBe(true);
    }
    expect(exact.searchVector(vectors[0]!, { k: 200 }).some((r) => r.docId === "d0")).toBe(false);
  });
});
