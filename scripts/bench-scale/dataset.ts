import { seededRandom } from "../../lib/math/seeded-random";
import type { Chunk } from "../../lib/vectorstore/types";
import type { BenchDoc } from "../bench-scifact";

/**
 * The `npm run bench:scale` data: the real SciFact abstracts with their real embeddings first,
 * then, up to `n`, SYNTHETIC rows: each vector a seeded mix of two real embeddings
 * (0.6·a + 0.4·b) plus Gaussian noise, renormalised, so it lies among the real ones the way
 * more abstracts would, rather than uniformly on the sphere (where HNSW behaves differently);
 * its text is the first source's. Embedding 100k real texts would take hours on 2 cores.
 */
export interface ScaleItem {
  chunk: Chunk;
  vector: Float32Array;
}

const NOISE_SD = 0.03;

function gaussian(random: () => number): number {
  // Box-Muller; 1 - u keeps log() away from 0.
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function normalise(v: Float32Array): Float32Array {
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return v;
}

function chunkOf(id: string, docId: string, text: string, synthetic: boolean): Chunk {
  return {
    id,
    docId,
    title: synthetic ? "synthetic" : "scifact",
    topic: synthetic ? "synthetic" : "scifact",
    text,
    start: 0,
    end: text.length,
  };
}

export function scaleItems(docs: readonly BenchDoc[], vectors: readonly Float32Array[], n: number, seed = 42): ScaleItem[] {
  const real = Math.min(n, docs.length);
  const items: ScaleItem[] = [];
  for (let i = 0; i < real; i++) items.push({ chunk: chunkOf(docs[i]!.id, docs[i]!.id, docs[i]!.text, false), vector: vectors[i]! });
  const random = seededRandom(seed);
  const dims = vectors[0]?.length ?? 0;
  for (let i = real; i < n; i++) {
    const a = Math.floor(random() * docs.length);
    const b = Math.floor(random() * docs.length);
    const v = new Float32Array(dims);
    for (let d = 0; d < dims; d++) v[d] = 0.6 * vectors[a]![d]! + 0.4 * vectors[b]![d]! + NOISE_SD * gaussian(random);
    const id = `syn-${i}`;
    items.push({ chunk: chunkOf(id, id, docs[a]!.text, true), vector: normalise(v) });
  }
  return items;
}

export function recallAtK(found: readonly string[], truth: readonly string[]): number {
  const want = new Set(truth);
  return truth.length === 0 ? 1 : found.filter((id) => want.has(id)).length / truth.length;
}
