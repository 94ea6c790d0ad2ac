import { stats } from "../bench-stats";
import { recallAtK } from "./dataset";

/** One store as the benchmark drives it: set the query-time ef, search a vector for k ids. */
export interface BenchSearcher {
  setEf(ef: number): void;
  search(vector: Float32Array, k: number): Promise<string[]>;
}

export interface QueryRun {
  ms: number[];
  recall: number;
}

/** Runs every query once, in order, timing each search alone. */
export async function runQueries(
  searcher: BenchSearcher,
  vectors: readonly Float32Array[],
  truth: readonly string[][],
  k: number,
): Promise<QueryRun> {
  const ms: number[] = [];
  let recall = 0;
  for (const [i, vector] of vectors.entries()) {
    const started = performance.now();
    const ids = await searcher.search(vector, k);
    ms.push(performance.now() - started);
    recall += recallAtK(ids, truth[i]!);
  }
  return { ms, recall: recall / Math.max(1, vectors.length) };
}

export interface SweepPoint {
  ef: number;
  recall: number;
  p50: number;
}

/**
 * Tries each ef on the dev queries (each timed on a second pass, so caches are as in a serving
 * process) and picks the smallest that reaches `target` recall, else the best one tried.
 */
export async function chooseEf(
  searcher: BenchSearcher,
  candidates: readonly number[],
  dev: readonly Float32Array[],
  devTruth: readonly string[][],
  k: number,
  target: number,
): Promise<{ chosen: number; points: SweepPoint[] }> {
  const points: SweepPoint[] = [];
  for (const ef of [...candidates].sort((a, b) => a - b)) {
    searcher.setEf(ef);
    await runQueries(searcher, dev, devTruth, k);
    const run = await runQueries(searcher, dev, devTruth, k);
    points.push({ ef, recall: run.recall, p50: stats(run.ms).p50 });
  }
  const good = points.find((p) => p.recall >= target);
  const chosen = good ?? points.reduce((a, b) => (b.recall > a.recall ? b : a));
  return { chosen: chosen.ef, points };
}

/** Proportional set size of a process tree (Linux smaps_rollup): shared buffers counted once, not per backend. */
export function treePssBytes(
  rootPid: number,
  readFile: (file: string) => string,
  children: (pid: number) => number[] | undefined,
): number | undefined {
  const pids = [rootPid];
  for (let i = 0; i < pids.length; i++) pids.push(...(children(pids[i]!) ?? []));
  let total = 0;
  for (const pid of pids) {
    try {
      const kb = /^Pss:\s+(\d+) kB$/m.exec(readFile(`/proc/${pid}/smaps_rollup`))?.[1];
      if (kb) total += Number(kb) * 1024;
    } catch {
      if (pid === rootPid) return undefined;
    }
  }
  return total;
}
