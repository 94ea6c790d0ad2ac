import fs from "node:fs";
import path from "node:path";
import type pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { loadDataset } from "../datasets/dataset-example";
import { createPool } from "../postgres/pool";
import type { LocalPostgres } from "../postgres/local-postgres";
import { SqliteSpanExporter } from "../telemetry/trace-log/sqlite-span-exporter";
import { TraceLogReader } from "../telemetry/trace-log/trace-reader";
import { startThrowawayPostgres } from "@/test-support/postgres/throwaway-postgres";
import { openTempTraceLog, recordAgentTrace, tracerExportingTo } from "@/test-support/trace-log/recorded-traces";
import { reviewDecisionSchema } from "./review-decision";
import type { ReviewCandidate } from "./review-queue";
import { PgReviewQueue } from "./pg-review-queue";
import { applyDecision, listForReview, productionIdFor, type ReviewStore } from "./review-service";

// Two writers: two pools (two replicas, or a replica and `npm run curate`) on one database.
let server: LocalPostgres;
let pools: [pg.Pool, pg.Pool];
let q1: PgReviewQueue;
let q2: PgReviewQueue;

beforeAll(async () => {
  server = await startThrowawayPostgres(process.cwd(), "review_test");
  pools = [0, 1].map(() => createPool({ url: server.url, poolMax: 4, connectTimeoutMs: 5_000 })) as [pg.Pool, pg.Pool];
});

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await server?.stop();
});

beforeEach(async () => {
  [q1, q2] = pools.map((pool) => new PgReviewQueue(pool, "test")) as [PgReviewQueue, PgReviewQueue];
  await q1.migrate();
  await pools[0].query("TRUNCATE review.candidates");
});

const traceIdOf = (n: number) => n.toString(16).padStart(32, "0");

function candidate(traceId: string, message = `question ${traceId.slice(-4)}`): ReviewCandidate {
  return {
    id: `cand-${traceId}`,
    traceId,
    proposedAt: "2026-11-28T10:00:00.000Z",
    tracedAt: "2026-11-28T09:00:00.000Z",
    traceSource: "log",
    reasons: [{ code: "negative_feedback", detail: "👎" }],
    input: { message },
    answer: "EMEA drone revenue in Q3 was $1.2M.",
    route: "sales_query",
    routeConfidence: 0.62,
    toolCalls: [],
    retrieved: [],
    feedback: [{ score: 0, comment: "wrong" }],
    onlineScores: {},
    latencyMs: 110,
    costUsd: 0,
    tokens: 321,
    suggested: { route: "sales_query" },
    status: "pending",
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A decision that takes a while (as writing the dataset files does) and refuses a decided candidate. */
function slowAccept(queue: PgReviewQueue, traceId: string, log: string[], who: string) {
  return queue.decide(traceId, async (found) => {
    log.push(`${who} read ${found?.status}`);
    if (found?.status !== "pending") throw new AppError("candidate_decided", `already ${found?.status}`);
    await sleep(300);
    log.push(`${who} done`);
    return { result: who, decision: { status: "accepted" as const, decidedAt: new Date().toISOString(), datasetItemId: `prod-${who}` } };
  });
}

describe("the review queue in PostgreSQL", () => {
  it("lets two writers deciding one candidate at once take turns: one accepts, the other finds it decided", async () => {
    await q1.merge([candidate(traceIdOf(1))]);
    const log: string[] = [];
    const outcomes = await Promise.allSettled([slowAccept(q1, traceIdOf(1), log, "a"), slowAccept(q2, traceIdOf(1), log, "b")]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    expect(outcomes.find((o) => o.status === "rejected")).toMatchObject({ reason: { code: "candidate_decided" } });
    // The second read waited for the first decision's commit: it never saw the candidate pending.
    expect(log[0]).toMatch(/^[ab] read pending$/);
    expect(log[1]).toMatch(/^[ab] done$/);
    expect(log[2]).toMatch(/^[ab] read accepted$/);
    const [stored] = await q2.list();
    expect(stored).toMatchObject({
      status: "accepted",
      datasetItemId: `prod-${(outcomes.find((o) => o.status === "fulfilled") as PromiseFulfilledResult<string>).value}`,
    });
  });

  it("never lets curation re-open, replace or drop a decision made while it merges", async () => {
    await q1.merge([candidate(traceIdOf(1)), candidate(traceIdOf(2))]);
    const log: string[] = [];
    const deciding = slowAccept(q1, traceIdOf(1), log, "reviewer");
    await sleep(50); // the decision holds its row lock now
    const merged = await q2.merge([candidate(traceIdOf(1), "proposed again"), candidate(traceIdOf(3))]);
    await deciding;
    expect(merged.added.map((c) => c.traceId)).toEqual([traceIdOf(3)]);
    const queue = await q2.list();
    expect(queue.map((c) => [c.traceId, c.status, c.input.message])).toEqual([
      [traceIdOf(1), "accepted", "question 0001"],
      [traceIdOf(2), "pending", "question 0002"],
      [traceIdOf(3), "pending", "question 0003"],
    ]);
  });

  it("adds each trace once when two curate runs merge overlapping proposals at once", async () => {
    const runs = await Promise.all([
      q1.merge([1, 2, 3, 4].map((n) => candidate(traceIdOf(n)))),
      q2.merge([3, 4, 5, 6].map((n) => candidate(traceIdOf(n)))),
    ]);
    const added = runs.flatMap((r) => r.added.map((c) => c.traceId)).sort();
    expect(added).toEqual([1, 2, 3, 4, 5, 6].map(traceIdOf));
    expect((await q1.list()).map((c) => c.traceId).sort()).toEqual(added);
  });

  it("backs the review service: a decision on one replica is what the other lists, and the item lands in the dataset", async () => {
    const temp = openTempTraceLog();
    try {
      const { tracer } = tracerExportingTo(new SqliteSpanExporter(temp.log, { retentionDays: 0 }));
      const [a, b] = [recordAgentTrace(tracer).traceId, recordAgentTrace(tracer).traceId];
      const storeOn = (queue: PgReviewQueue): ReviewStore => ({
        queuePath: path.join(temp.dir, "queue.jsonl"),
        queue,
        datasetsDir: path.join(temp.dir, "datasets"),
        traces: new TraceLogReader(temp.log),
      });
      await q1.merge([candidate(a), candidate(b)]);
      const accept = reviewDecisionSchema.parse({
        target: "production",
        traceId: a,
        decision: "accept",
        expected: { route: "sales_query" },
      });
      const reject = reviewDecisionSchema.parse({ target: "production", traceId: b, decision: "reject" });
      const results = await Promise.allSettled([
        applyDecision(storeOn(q1), accept),
        applyDecision(storeOn(q2), accept),
        applyDecision(storeOn(q2), reject),
      ]);
      expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
      expect((await listForReview(storeOn(q2))).counts).toEqual({ pending: 0, accepted: 1, rejected: 1, synthetic: 0 });
      expect(loadDataset(path.join(temp.dir, "datasets", "production.jsonl")).map((e) => e.id)).toEqual([productionIdFor(a)]);
      expect(fs.existsSync(path.join(temp.dir, "queue.jsonl"))).toBe(false);
    } finally {
      temp.remove();
    }
  });
});
