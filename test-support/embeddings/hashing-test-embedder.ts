import crypto from "node:crypto";
import type { Embedder } from "@/lib/embeddings/types";

/**
 * FOR UNIT TESTS ONLY. A fake embedder: hashes lowercase words into a fixed number of
 * buckets and L2-normalises, so texts sharing words are similar. It has no notion of
 * meaning and must never be wired into the app; it exists so store and ingest logic can
 * be tested without the real model. It records every text it was asked to embed.
 */
export class HashingTestEmbedder implements Embedder {
  readonly modelName: string = "hashing-test-embedder";
  readonly dimensions: number;
  /** Every text passed to `embedDocuments` / `embedQuery`, in order. */
  readonly embedded: string[] = [];

  constructor(dimensions = 384) {
    this.dimensions = dimensions;
  }

  vector(text: string): Float32Array {
    const v = new Float32Array(this.dimensions);
    for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
      const h = crypto.createHash("md5").update(word).digest();
      v[h.readUInt32LE(0) % this.dimensions]! += 1;
    }
    let norm = 0;
    for (const x of v) norm += x * x;
    norm = Math.sqrt(norm);
    if (norm === 0) v[0] = 1;
    else for (let i = 0; i < v.length; i++) v[i]! /= norm;
    return v;
  }

  embedDocuments(texts: string[]): Promise<Float32Array[]> {
    this.embedded.push(...texts);
    return Promise.resolve(texts.map((t) => this.vector(t)));
  }

  embedQuery(text: string): Promise<Float32Array> {
    this.embedded.push(text);
    return Promise.resolve(this.vector(text));
  }
}
