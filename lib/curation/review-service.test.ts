import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { loadDataset } from "../datasets/dataset-example";
import { requireAdmin } from "../http/admin-auth";
import { SqliteSpanExporter } from "../telemetry/trace-log/sqlite-span-exporter";
import { openTempTraceLog, recordAgentTrace, tracerExportingTo } from "@/test-support/trace-log/recorded-traces";
import { TraceLogReader } from "../telemetry/trace-log/trace-reader";
import { reviewDecisionSchema, reviewDecisionSchemaFor, type ReviewDecision } from "./review-decision";
import { readReviewQueue, writeReviewQueue, type ReviewCandidate } from "./review-queue";
import { applyDecision, listForReview, productionIdFor, type ReviewStore } from "./review-service";
import { readTraceExport } from "./trace-export";

let temp: ReturnType<typeof openTempTraceLog>;
let store: ReviewStore;
let traceA: string;
let traceB: string;

function candidate(traceId: string, message: string): ReviewCandidate {
  return {
    id: `cand-${traceId}`,
    traceId,
    proposedAt: "2026-11-28T10:00:00.000Z",
    tracedAt: "2026-11-28T09:00:00.000Z",
    traceSource: "log",
    reasons: [{ code: "negative_feedback", detail: "👎" }],
    input: {
      message,
      history: [
        { role: "user", content: "hi" },
        { role: "assistant", content: "Hello" },
      ],
    },
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

const accept = (traceId: string, extra: Partial<Extract<ReviewDecision, { target: "production" }>> = {}): ReviewDecision =>
  reviewDecisionSchema.parse({
    target: "production",
    traceId,
    decision: "accept",
    expected: { route: "sales_query", facts: ["$1.2M"] },
    ...extra,
  });

const datasetFile = () => path.join(store.datasetsDir, "production.jsonl");
const exportFile = () => path.join(store.datasetsDir, "production.traces.jsonl");

beforeEach(() => {
  temp = openTempTraceLog();
  const { tracer, provider } = tracerExportingTo(new SqliteSpanExporter(temp.log, { retentionDays: 0 }));
  traceA = recordAgentTrace(tracer, { question: "q3 drone sales emea??" }).traceId;
  traceB = recordAgentTrace(tracer, { question: "what is the meaning of life" }).traceId;
  void provider;
  store = {
    queuePath: path.join(temp.dir, "queue.jsonl"),
    datasetsDir: path.join(temp.dir, "datasets"),
    traces: new TraceLogReader(temp.log),
    now: () => new Date("2026-11-28T12:00:00.000Z"),
  };
  writeReviewQueue(store.queuePath, [candidate(traceA, "q3 drone sales emea??"), candidate(traceB, "what is the meaning of life")]);
});

afterEach(() => temp.remove());

describe("applyDecision on production candidates", () => {
  it("accepts: appends a reviewed production item with its trace id, exports the trace, closes the candidate", async () => {
    const result = await applyDecision(store, accept(traceA, { message: "Q3 drone sales in EMEA?", tags: ["typo"] }));
    expect(result.decision).toBe("accepted");
    const items = loadDataset(datasetFile());
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      id: productionIdFor(traceA),
      source: "production",
      traceId: traceA,
      reviewed: true,
      input: {
        message: "Q3 drone sales in EMEA?",
        history: [
          { role: "user", content: "hi" },
          { role: "assistant", content: "Hello" },
        ],
      },
      expected: { route: "sales_query", facts: ["$1.2M"] },
      tags: ["production", "sales_query", "typo"],
    });
    const exported = readTraceExport(exportFile());
    expect(exported.map((t) => t.traceId)).toEqual([traceA]);
    expect(exported[0]!.spans.map((s) => s.spanKind).sort()).toEqual(["AGENT", "CHAIN", "LLM", "RETRIEVER", "TOOL"]);
    expect(exported[0]!.spans.find((s) => s.parentSpanId === null)?.attributes["input.value"]).toBe("q3 drone sales emea??");
    // The user's rating travels with the item: the eval compares its judges with it (evals/report/human-agreement.ts).
    expect(exported[0]!.feedback).toEqual([{ score: 0, comment: "wrong" }]);
    expect(readReviewQueue(store.queuePath).find((c) => c.traceId === traceA)).toMatchObject({
      status: "accepted",
      datasetItemId: productionIdFor(traceA),
    });
    expect((await listForReview(store)).counts).toEqual({ pending: 1, accepted: 1, rejected: 0, synthetic: 0 });
  });

  it("rejects: the candidate is closed and nothing reaches the dataset", async () => {
    await applyDecision(store, reviewDecisionSchema.parse({ target: "production", traceId: traceB, decision: "reject" }));
    expect(fs.existsSync(datasetFile())).toBe(false);
    expect(readReviewQueue(store.queuePath).find((c) => c.traceId === traceB)?.status).toBe("rejected");
    await expect(applyDecision(store, accept(traceB))).rejects.toMatchObject({ code: "candidate_decided", status: 409 });
  });

  it("an unknown trace id is a 404 and writes nothing", async () => {
    const before = fs.readFileSync(store.queuePath, "utf8");
    await expect(applyDecision(store, accept("f".repeat(32)))).rejects.toMatchObject({ code: "trace_not_found", status: 404 });
    expect(fs.existsSync(datasetFile())).toBe(false);
    expect(fs.readFileSync(store.queuePath, "utf8")).toBe(before);
  });

  it("a candidate whose trace left the log is a 404 and writes nothing", async () => {
    const gone = "a".repeat(32);
    writeReviewQueue(store.queuePath, [...readReviewQueue(store.queuePath), candidate(gone, "pruned one")]);
    await expect(applyDecision(store, accept(gone))).rejects.toMatchObject({ code: "trace_not_found" });
    expect(fs.existsSync(datasetFile())).toBe(false);
    expect(fs.existsSync(exportFile())).toBe(false);
  });

  it("refuses to touch a dataset file that is already invalid, leaving it byte for byte", async () => {
    fs.mkdirSync(store.datasetsDir, { recursive: true });
    fs.writeFileSync(datasetFile(), '{"id": "broken"\n');
    await expect(applyDecision(store, accept(traceA))).rejects.toMatchObject({ code: "dataset_invalid", status: 500 });
    expect(fs.readFileSync(datasetFile(), "utf8")).toBe('{"id": "broken"\n');
    expect(readReviewQueue(store.queuePath).every((c) => c.status === "pending")).toBe(true);
  });

  it("serializes concurrent accepts: both items land", async () => {
    await Promise.all([applyDecision(store, accept(traceA)), applyDecision(store, accept(traceB))]);
    expect(
      loadDataset(datasetFile())
        .map((e) => e.traceId)
        .sort(),
    ).toEqual([traceA, traceB].sort());
    expect(readTraceExport(exportFile())).toHaveLength(2);
  });
});

describe("applyDecision on synthetic examples", () => {
  const synthetic = (id: string) => ({
    id,
    input: { message: `question ${id}?` },
    expected: { facts: ["x"], docIds: ["doc-1"], route: "knowledge_base_search" },
    tags: ["synthetic"],
    source: "synthetic",
    createdAt: "2026-11-27T10:00:00.000Z",
    reviewed: false,
  });
  beforeEach(() => {
    fs.mkdirSync(store.datasetsDir, { recursive: true });
    fs.writeFileSync(
      path.join(store.datasetsDir, "synthetic.jsonl"),
      [synthetic("syn-1"), synthetic("syn-2")].map((e) => JSON.stringify(e)).join("\n") + "\n",
    );
  });

  it("accept marks it reviewed with the edits; reject removes it", async () => {
    expect((await listForReview(store)).synthetic.map((e) => e.id)).toEqual(["syn-1", "syn-2"]);
    await applyDecision(
      store,
      reviewDecisionSchema.parse({
        target: "synthetic",
        itemId: "syn-1",
        decision: "accept",
        expected: { route: "knowledge_base_search", facts: ["y"] },
      }),
    );
    await applyDecision(store, reviewDecisionSchema.parse({ target: "synthetic", itemId: "syn-2", decision: "reject" }));
    const items = loadDataset(path.join(store.datasetsDir, "synthetic.jsonl"));
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ id: "syn-1", reviewed: true, expected: { facts: ["y"], docIds: ["doc-1"] } });
    await expect(
      applyDecision(store, reviewDecisionSchema.parse({ target: "synthetic", itemId: "syn-9", decision: "reject" })),
    ).rejects.toMatchObject({ status: 404 });
  });
});

describe("reviewDecisionSchema", () => {
  it.each([
    ["no target", { traceId: "a".repeat(32), decision: "accept" }],
    ["accept without expected", { target: "production", traceId: "a".repeat(32), decision: "accept" }],
    ["bad trace id", { target: "production", traceId: "not-a-trace", decision: "reject" }],
    ["unknown route", { target: "production", traceId: "a".repeat(32), decision: "accept", expected: { route: "shell" } }],
    ["extra key", { target: "production", traceId: "a".repeat(32), decision: "reject", sql: "drop table" }],
    ["odd decision", { target: "production", traceId: "a".repeat(32), decision: "maybe" }],
  ])("rejects %s", (_name, body) => {
    expect(reviewDecisionSchemaFor(["knowledge_base_search", "calculator"]).safeParse(body).success).toBe(false);
  });
});

describe("requireAdmin", () => {
  const code = (fn: () => void) => {
    try {
      fn();
      return "ok";
    } catch (error) {
      return error instanceof AppError ? `${error.status} ${error.code}` : "other";
    }
  };
  it("refuses everything when no ADMIN_TOKEN is configured", () => {
    expect(code(() => requireAdmin("Bearer anything-at-all-here", undefined))).toBe("403 review_disabled");
  });
  it("401 without a token, 403 with a wrong one, passes the right one", () => {
    const token = "s3cret-token-0123456789";
    expect(code(() => requireAdmin(null, token))).toBe("401 unauthorized");
    expect(code(() => requireAdmin("Basic abc", token))).toBe("401 unauthorized");
    expect(code(() => requireAdmin("Bearer wrong-token-0123456789", token))).toBe("403 forbidden");
    expect(code(() => requireAdmin(`Bearer ${token}`, token))).toBe("ok");
  });
});
