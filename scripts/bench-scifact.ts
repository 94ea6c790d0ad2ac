/**
 * BEIR SciFact for the benchmarks that read it (`npm run bench:retrieval`, `npm run bench:scale`):
 * the corpus, queries and test qrels from BENCH_DATA_DIR, validated, and the corpus embedded
 * with the app's model, cached under .data/bench keyed by model file, settings and corpus hash.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import cliProgress from "cli-progress";
import { z } from "zod";
import type { TransformersEmbedder } from "../lib/embeddings/transformers-embedder";
import { embeddingModelDir } from "../lib/models/paths";
import { describeZodIssues } from "../lib/validation/zod-issues";

export class BenchDataError extends Error {}

export interface BenchDoc {
  id: string;
  text: string;
}

function readLines(file: string): string[] {
  if (!fs.existsSync(file)) throw new BenchDataError(`${file}: benchmark file not found (set BENCH_DATA_DIR)`);
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "");
}

function parseJsonl<T>(file: string, schema: z.ZodType<T>): T[] {
  return readLines(file).map((line, i) => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new BenchDataError(`${file}:${i + 1}: not valid JSON`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      throw new BenchDataError(`${file}:${i + 1}: ${describeZodIssues(parsed.error).join("; ")}`);
    }
    return parsed.data;
  });
}

export function loadScifact(dir: string) {
  const corpusFile = path.join(dir, "corpus.jsonl");
  const queriesFile = path.join(dir, "queries.jsonl");
  const qrelsFile = path.join(dir, "qrels-test.tsv");
  const docs = parseJsonl(corpusFile, z.object({ _id: z.string().min(1), title: z.string(), text: z.string() })).map((d): BenchDoc => ({
    id: d._id,
    text: `${d.title} ${d.text}`.trim(),
  }));
  const queries = new Map(
    parseJsonl(queriesFile, z.object({ _id: z.string().min(1), text: z.string().min(1) })).map((q) => [q._id, q.text]),
  );
  const qrelLines = readLines(qrelsFile);
  if (!/^query-id\tcorpus-id\tscore$/.test(qrelLines[0]?.trim() ?? "")) {
    throw new BenchDataError(`${qrelsFile}:1: expected the header "query-id<TAB>corpus-id<TAB>score"`);
  }
  const qrels = new Map<string, Map<string, number>>();
  const docIds = new Set(docs.map((d) => d.id));
  qrelLines.slice(1).forEach((line, i) => {
    const [qid, did, score] = line.trim().split("\t");
    const rel = Number(score);
    if (!qid || !did || !Number.isFinite(rel)) throw new BenchDataError(`${qrelsFile}:${i + 2}: expected three tab-separated fields`);
    if (!queries.has(qid)) throw new BenchDataError(`${qrelsFile}:${i + 2}: query ${qid} is not in ${queriesFile}`);
    if (!docIds.has(did)) throw new BenchDataError(`${qrelsFile}:${i + 2}: document ${did} is not in ${corpusFile}`);
    if (!qrels.has(qid)) qrels.set(qid, new Map());
    qrels.get(qid)!.set(did, rel);
  });
  if (docs.length === 0 || qrels.size === 0) throw new BenchDataError(`${dir}: empty corpus or qrels`);
  return { docs, queries, qrels, corpusFile };
}

const sha256 = (file: string) =>
  crypto
    .createHash("sha256")
    .update(new Uint8Array(fs.readFileSync(file)))
    .digest("hex");

/** Document embeddings, cached under .data/bench keyed by model file, settings and corpus hash. */
export async function embedCorpus(
  embedder: TransformersEmbedder,
  docs: BenchDoc[],
  corpusFile: string,
  useCache: boolean,
): Promise<Float32Array[]> {
  const modelHash = sha256(path.join(embeddingModelDir(embedder.modelsDir), "onnx", "model_quantized.onnx")).slice(0, 16);
  const key = crypto
    .createHash("sha256")
    .update(JSON.stringify({ model: embedder.modelName, modelHash, maxTokens: embedder.maxTokens, corpus: sha256(corpusFile), v: 1 }))
    .digest("hex")
    .slice(0, 20);
  const cacheDir = path.resolve(".data/bench");
  const cacheFile = path.join(cacheDir, `scifact-${key}.f32`);
  const dims = embedder.dimensions;
  if (useCache && fs.existsSync(cacheFile) && fs.statSync(cacheFile).size === docs.length * dims * 4) {
    const buf = fs.readFileSync(cacheFile);
    const all = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
    console.log(`Document embeddings: cache hit (${path.relative(process.cwd(), cacheFile)})`);
    return docs.map((_, i) => all.slice(i * dims, (i + 1) * dims));
  }
  // Sort globally by length so batches pad little; put results back in corpus order.
  const order = docs.map((_, i) => i).sort((a, b) => docs[a]!.text.length - docs[b]!.text.length);
  const out = new Array<Float32Array>(docs.length);
  const bar = new cliProgress.SingleBar(
    { format: "Embedding SciFact corpus [{bar}] {value}/{total} docs | {eta_formatted} left", noTTYOutput: true, notTTYSchedule: 10_000 },
    cliProgress.Presets.shades_classic,
  );
  const started = performance.now();
  bar.start(docs.length, 0);
  const step = embedder.batchSize;
  for (let s = 0; s < order.length; s += step) {
    const ids = order.slice(s, s + step);
    const vectors = await embedder.embedDocuments(ids.map((i) => docs[i]!.text));
    ids.forEach((id, j) => (out[id] = vectors[j]!));
    bar.update(Math.min(s + step, order.length));
  }
  bar.stop();
  const secs = (performance.now() - started) / 1000;
  console.log(`Embedded ${docs.length} documents in ${secs.toFixed(1)}s (${(docs.length / secs).toFixed(1)} docs/s)`);
  fs.mkdirSync(cacheDir, { recursive: true });
  const flat = new Float32Array(docs.length * dims);
  out.forEach((v, i) => flat.set(v, i * dims));
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, new Uint8Array(flat.buffer));
  fs.renameSync(tmp, cacheFile);
  return out;
}
