import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HashingTestEmbedder } from "@/test-support/embeddings/hashing-test-embedder";
import { readReviewQueue, writeReviewQueue } from "@/lib/curation/review-queue";
import { toCandidate } from "./candidate";
import { curate, type CurateOptions } from "./curate";
import { formatCurateReport } from "./curate-report";
import { FixtureReader, fixtureTrace, type FixtureTrace } from "@/test-support/evals/fixture-traces";
import { summarizeTrace } from "./trace-summary";

// Curation end to end over fixture traces: a fake reader, the hashing test embedder (texts
// sharing words are similar), temp datasets and queue.

const T0 = Date.parse("2026-03-01T00:00:00Z");
const idOf = (t: FixtureTrace) => t.spans[0]!.traceId;

function example(id: string, message: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id,
    input: { message },
    expected: {},
    tags: [],
    source: "manual",
    createdAt: "2026-01-01T00:00:00Z",
    reviewed: true,
    ...extra,
  });
}

describe("curate", () => {
  let dir: string;
  let queuePath: string;
  let traces: Record<string, FixtureTrace>;
  let options: CurateOptions;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "curate-test-"));
    queuePath = path.join(dir, "queue.jsonl");
    const at = (minutes: number) => T0 + minutes * 60_000;
    traces = {
      earlier: fixtureTrace({
        question: "What does the warranty cover for drones today?",
        answer: "Parts and labour.",
        sessionId: "s-1",
        startMs: at(1),
      }),
      disliked: fixtureTrace({
        question: "Which ACME quadcopter flies farthest on a charge?",
        answer: "The R100.",
        sessionId: "s-1",
        startMs: at(2),
        feedback: [{ score: 0, comment: "it is the S10" }],
      }),
      dislikedAgain: fixtureTrace({ question: "Which ACME quadcopter flies farthest on a charge?", startMs: at(3), confidence: 0.3 }),
      evalRun: fixtureTrace({
        question: "Zebra xylophone quartz?",
        tags: ["eval", "eval-run:eval-1"],
        startMs: at(4),
        feedback: [{ score: 0 }],
      }),
      bench: fixtureTrace({ question: "Yodel vortex quiche?", tags: ["model-bench", "bench:x"], startMs: at(5), feedback: [{ score: 0 }] }),
      inDataset: fixtureTrace({ question: "How long do I have to return a product?", startMs: at(6), feedback: [{ score: 0 }] }),
      inProduction: fixtureTrace({ question: "Fjord glacier moraine?", startMs: at(7), feedback: [{ score: 0 }] }),
      decided: fixtureTrace({ question: "Kiwi mango papaya?", startMs: at(8), feedback: [{ score: 0 }] }),
      unsure: fixtureTrace({
        question: "What is the payload of the Roadrunner R100 drone model?",
        route: "calculator",
        confidence: 0.41,
        startMs: at(9),
      }),
      failed: fixtureTrace({
        question: "Sales of the R100 in EMEA for Q3 please",
        route: "sales_query",
        toolFailed: "no such column",
        startMs: at(10),
      }),
      healthy: fixtureTrace({ question: "What is the payload of the Roadrunner drone?", startMs: at(11) }),
      novel: fixtureTrace({ question: "Explain quantum entanglement to a cat", startMs: at(12) }),
      outside: fixtureTrace({ question: "Outside the window", startMs: at(-10), feedback: [{ score: 0 }] }),
    };
    fs.writeFileSync(
      path.join(dir, "manual.jsonl"),
      [
        example("man-1", "How long do I have to return a product?"),
        example("man-2", "What is the payload of the Roadrunner R200 drone?"),
        example("man-3", "What does the warranty cover for drones?"),
      ].join("\n"),
    );
    fs.writeFileSync(
      path.join(dir, "production.jsonl"),
      example("prod-1", "Fjord glacier moraine?", { source: "production", traceId: idOf(traces.inProduction!) }),
    );
    const decided = traces.decided!;
    writeReviewQueue(queuePath, [
      {
        ...toCandidate(summarizeTrace(decided.spans, decided.judgements)!, [{ code: "negative_feedback", detail: "👎" }], {
          source: "log",
          proposedAt: new Date(T0),
        }),
        status: "accepted",
        decidedAt: new Date(T0).toISOString(),
      },
    ]);
    options = {
      source: "log",
      since: T0,
      until: at(60),
      max: 60,
      perRoute: 20,
      datasetsDir: dir,
      queuePath,
      scanLimit: 1000,
      now: () => new Date(at(100)),
    };
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const run = (o: Partial<CurateOptions> = {}) =>
    curate({ ...options, ...o }, { reader: new FixtureReader(Object.values(traces)), embedder: new HashingTestEmbedder() });

  it("proposes what deserves review, with reasons, history and the trace's features, and leaves the rest out", async () => {
    const report = await run();
    const added = new Map(report.added.map((c) => [c.traceId, c]));
    const name = (id: string) => Object.entries(traces).find(([, t]) => idOf(t) === id)?.[0];
    expect(report.added.map((c) => name(c.traceId)).sort()).toEqual(["disliked", "failed", "novel", "unsure"]);
    expect(report).toMatchObject({
      tracesRead: 12,
      excluded: { eval_run: 1, model_bench: 1, in_queue: 1, in_production: 1, not_agent: 0 },
      droppedAsDuplicates: { ofDataset: 3, ofEachOther: 1 },
    });

    const disliked = added.get(idOf(traces.disliked!))!;
    expect(disliked.reasons[0]).toEqual({ code: "negative_feedback", detail: "👎 with comment: it is the S10" });
    expect(disliked).toMatchObject({
      id: `cand-${idOf(traces.disliked!)}`,
      sessionId: "s-1",
      traceSource: "log",
      status: "pending",
      proposedAt: new Date(T0 + 100 * 60_000).toISOString(),
      input: {
        message: "Which ACME quadcopter flies farthest on a charge?",
        history: [
          { role: "user", content: "What does the warranty cover for drones today?" },
          { role: "assistant", content: "Parts and labour." },
        ],
      },
      answer: "The R100.",
      route: "knowledge_base_search",
      feedback: [{ score: 0, comment: "it is the S10" }],
      suggested: { answer: "The R100.", docIds: ["returns-policy"], route: "knowledge_base_search" },
    });
    expect(added.get(idOf(traces.unsure!))!.reasons.map((r) => r.code)).toContain("low_confidence_route");
    expect(added.get(idOf(traces.failed!))!.reasons.map((r) => r.code)).toEqual(["tool_failure", "novel"]);
    expect(added.get(idOf(traces.novel!))!.reasons).toEqual([
      { code: "novel", detail: expect.stringMatching(/^nearest dataset item man-\d at -?0\.\d\d < 0\.5/) },
    ]);
    expect(report.byReason.negative_feedback).toBe(1);
    expect(report.byRoute).toEqual({ knowledge_base_search: 2, calculator: 1, sales_query: 1 });
    expect(formatCurateReport(report)).toContain("Proposed: 4 candidates");
  });

  it("merges into the queue without re-opening decisions, and proposes nothing twice", async () => {
    const first = await run();
    const queue = readReviewQueue(queuePath);
    expect(queue).toHaveLength(5);
    expect(queue[0]).toMatchObject({ traceId: idOf(traces.decided!), status: "accepted" });
    const second = await run();
    expect(second.added).toEqual([]);
    expect(second.excluded.in_queue).toBe(1 + first.added.length);
    expect(readReviewQueue(queuePath)).toEqual(queue);
  });

  it("keeps a decision made at /review while it was working (it merges into the queue as it is at the end)", async () => {
    const first = await run();
    const pending = first.added[0]!;
    // While the second run works (after it has read the queue), a reviewer rejects a candidate.
    const reviewer = (message: string) => {
      if (!message.startsWith("Read ")) return;
      writeReviewQueue(
        queuePath,
        readReviewQueue(queuePath).map((c) => (c.traceId === pending.traceId ? { ...c, status: "rejected" as const } : c)),
      );
    };
    traces.late = fixtureTrace({
      question: "Why do pufferfish draw circles in the sand?",
      startMs: T0 + 30 * 60_000,
      feedback: [{ score: 0 }],
    });
    const second = await curate(
      { ...options },
      { reader: new FixtureReader(Object.values(traces)), embedder: new HashingTestEmbedder(), progress: reviewer },
    );
    expect(second.added.map((c) => c.traceId)).toEqual([idOf(traces.late)]);
    expect(readReviewQueue(queuePath).find((c) => c.traceId === pending.traceId)?.status).toBe("rejected");
  });

  it("honours --max and writes nothing on a dry run", async () => {
    const before = fs.readFileSync(queuePath, "utf8");
    const report = await run({ max: 2, dryRun: true });
    // One per route per round, the strongest first: the thumbs-down, then the tool failure.
    expect(report.added.map((c) => c.traceId)).toEqual([idOf(traces.disliked!), idOf(traces.failed!)]);
    expect(report.leftOut).toBe(2);
    expect(fs.readFileSync(queuePath, "utf8")).toBe(before);
  });
});
