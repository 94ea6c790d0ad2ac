import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatResult } from "./agents/contract";
import { rewriteQuery } from "./agents/query-rewrite";
import { PgSessionStore } from "./lib/sessions/pg-session-store";
import { PhoenixClient } from "./lib/telemetry/phoenix-client";
import { PgTraceLog } from "./lib/telemetry/trace-log/pg-trace-log";
import type { StoredSpan } from "./lib/telemetry/trace-log/span-record";
import { findNginx, UPSTREAM_HEADER } from "./test-support/server/nginx-balancer";
import { startTwoReplicaCluster, type TwoReplicaCluster } from "./test-support/server/two-replica-cluster";

// Issue 18's scale-out, end to end: two `next start` replicas of the production build on one
// PostgreSQL, Debian's nginx round robin in front, a real Phoenix. A conversation alternates
// replicas and keeps its history; feedback through one replica reaches the other's trace; a
// document ingested while both run is found by both; kill -9 of one replica mid-traffic loses no
// committed trace and the other keeps answering. The figures are printed at the end.

const root = process.cwd();
const nginx = findNginx();
if (!nginx) console.warn("two-replicas test skipped: nginx is not installed (Debian: apt-get install nginx; .ci/run installs it)");

let cluster: TwoReplicaCluster;
let log: PgTraceLog;
const figures: Record<string, unknown> = {};

interface TurnOutcome {
  status: number;
  /** The upstream(s) nginx tried, last the one that answered (empty when asked directly). */
  upstream: string;
  startedAt: number;
  endedAt: number;
  result?: ChatResult;
  error?: string;
}

async function chat(baseUrl: string, message: string, sessionId?: string): Promise<TurnOutcome> {
  const startedAt = Date.now();
  try {
    const response = await fetch(`${baseUrl}/api/chat`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ message, ...(sessionId ? { sessionId } : {}) }),
      signal: AbortSignal.timeout(150_000),
    });
    const text = await response.text();
    const upstream = response.headers.get(UPSTREAM_HEADER) ?? "";
    const outcome = { status: response.status, upstream, startedAt, endedAt: Date.now() };
    return response.ok ? { ...outcome, result: JSON.parse(text) as ChatResult } : { ...outcome, error: text.slice(0, 300) };
  } catch (error) {
    return { status: 0, upstream: "", startedAt, endedAt: Date.now(), error: String(error) };
  }
}

/** The replica that answered: the last upstream nginx tried. */
function servedBy(turn: TurnOutcome): string {
  const last = turn.upstream.split(",").at(-1)?.trim();
  return cluster.replicas.find((r) => r.address === last)?.name ?? `unknown (${turn.upstream})`;
}

const ok = (turn: TurnOutcome): ChatResult => {
  expect(turn.status, `${turn.error ?? ""}\n${cluster.replicas.map((r) => r.server.output().slice(-1500)).join("\n")}`).toBe(200);
  return turn.result!;
};

/** The trace's spans once its root is in the log (the root ends last, so the rest came before it). */
async function loggedTrace(traceId: string, timeoutMs = 15_000): Promise<StoredSpan[] | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await log.rootSpan(traceId)) return log.trace(traceId);
    if (Date.now() > deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const relative = (ms: number) => (ms < 0 ? `${-ms} ms before` : `${ms} ms after`);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const latencies = (turns: TurnOutcome[]) => {
  const ms = turns.map((t) => t.endedAt - t.startedAt);
  return { p50Ms: median(ms), maxMs: Math.max(0, ...ms) };
};

beforeAll(async () => {
  if (!nginx) return;
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
    throw new Error("No production build (.next/BUILD_ID): run `npm run build` first (`npm test` builds it before the integration tier).");
  }
  cluster = await startTwoReplicaCluster(root, nginx);
  log = new PgTraceLog(cluster.pool, "two-replicas test");
  // The first turn on each replica loads its models; warm both so the figures below are steady-state.
  // A knowledge question: each replica has then searched the knowledge base before the ingest below.
  const started = performance.now();
  for (const replica of cluster.replicas) ok(await chat(replica.server.url, "What does the rocket skate warranty cover?"));
  figures.startup = { ...cluster.timings, warmUpMs: Math.round(performance.now() - started) };
}, 600_000);

afterAll(async () => {
  if (Object.keys(figures).length > 0) console.log(`[two replicas] figures:\n${JSON.stringify(figures, null, 2)}`);
  await cluster?.stop();
});

const CONVERSATION = ["What were Q2 sales in EMEA?", "what about Q3?", "and in APAC?", "and in Q4?"];
const conversation: TurnOutcome[] = [];

describe.skipIf(!nginx)("two replicas behind nginx on one PostgreSQL", () => {
  it("alternates a conversation between the replicas, each turn seeing the turns the other took", async () => {
    let sessionId: string | undefined;
    for (const message of CONVERSATION) {
      const turn = await chat(cluster.lb.url, message, sessionId);
      sessionId = ok(turn).sessionId;
      conversation.push(turn);
    }
    const served = conversation.map(servedBy);
    figures.conversation = { servedBy: served, ...latencies(conversation) };
    expect(new Set(served)).toEqual(new Set(["A", "B"]));
    served.slice(1).forEach((replica, i) => expect(replica, `turn ${i + 2}`).not.toBe(served[i]));
    expect(conversation.map((t) => t.result!.sessionId)).toEqual(CONVERSATION.map(() => sessionId));

    const history = await new PgSessionStore(cluster.pool).history(sessionId!);
    expect(history.map((t) => t.user)).toEqual(CONVERSATION);
    expect(history.map((t) => t.assistant)).toEqual(conversation.map((t) => t.result!.answer));
    // Each follow-up was rewritten against the previous turns, which the other replica took.
    for (let i = 1; i < CONVERSATION.length; i++) {
      const spans = await loggedTrace(conversation[i]!.result!.traceId);
      const rewrite = spans?.find((s) => s.name === "query_rewrite");
      expect(rewrite?.attributes["agent.query.rewritten"], `turn ${i + 1}`).toBe(true);
      expect(rewrite?.outputValue).toBe(rewriteQuery(CONVERSATION[i]!, history.slice(0, i)).query);
    }
  });

  it("stores feedback posted through one replica on a trace the other served, and annotates it in Phoenix", async () => {
    const turn = conversation.find((t) => servedBy(t) === "B")!;
    const { traceId } = turn.result!;
    const [a] = cluster.replicas;
    const posted = performance.now();
    const response = await fetch(`${a.server.url}/api/feedback`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ traceId, score: 0, comment: "posted through replica A" }),
    });
    expect(response.status, a.server.output().slice(-1500)).toBe(201);
    expect(await response.json()).toMatchObject({ phoenix: "queued" });
    expect(await log.feedbackFor(traceId)).toMatchObject([{ traceId, score: 0, comment: "posted through replica A" }]);

    const rootSpanId = (await log.rootSpan(traceId))!.spanId;
    const client = new PhoenixClient({ baseUrl: cluster.phoenix.url, timeoutMs: 10_000 });
    await expect
      .poll(
        async () => (await client.spanAnnotations(cluster.project, [rootSpanId]).catch(() => [])).find((x) => x.name === "user_feedback"),
        { timeout: 60_000, interval: 500 },
      )
      .toMatchObject({ annotator_kind: "HUMAN", result: { score: 0, label: "thumbs_down", explanation: "posted through replica A" } });
    figures.feedback = { traceServedBy: "B", postedTo: "A", inPhoenixAfterMs: Math.round(performance.now() - posted) };
  });

  it("finds a document ingested while both run, through either replica", async () => {
    await writeFile(
      path.join(cluster.corpusDir, "zephyr-9-pallet-drone.md"),
      `---\nid: zephyr-9-pallet-drone\ntitle: "Zephyr-9 Pallet Drone"\ntopic: products\nupdated: "2026-12-01"\n---\n# Zephyr-9 Pallet Drone\n\n` +
        "The Zephyr-9 pallet drone lifts a maximum payload of 47 kilograms and flies for 38 minutes on one charge.\n",
    );
    const ingest = await cluster.ingest();
    expect(ingest.output).toMatch(/1 new/);
    const asked = [];
    for (let i = 0; i < 2; i++) asked.push(await chat(cluster.lb.url, "What is the maximum payload of the Zephyr-9 pallet drone?"));
    expect(new Set(asked.map(servedBy))).toEqual(new Set(["A", "B"]));
    for (const turn of asked) {
      const ids = ok(turn).sources.map((s) => s.id);
      expect(
        ids.some((id) => id.startsWith("zephyr-9-pallet-drone")),
        `${servedBy(turn)}: ${ids.join(", ")}`,
      ).toBe(true);
      // Both replicas had searched before the ingest: a vocabulary cached then must not call the new product unknown.
      expect(turn.result!.answer, servedBy(turn)).not.toMatch(/no ACME document mentions/);
    }
    figures.ingestWhileRunning = {
      ingestMs: ingest.ms,
      answers: asked.map((t) => ({ servedBy: servedBy(t), ms: t.endedAt - t.startedAt, answer: t.result!.answer.slice(0, 120) })),
    };
  });

  it("loses no committed trace when one replica is killed mid-traffic, and the other keeps answering", async () => {
    const run = await trafficWithKill();
    const { turns, killAt, goneAt } = run;
    // Sent once the process was gone: nginx's connection is refused and it tries the other replica.
    // One sent between the signal and the exit may still be accepted by the dying process, and a
    // POST already sent is not replayed: that one counts with the turns in flight at the kill.
    const after = turns.filter((t) => t.startedAt > goneAt);
    const answered = turns.filter((t) => t.status === 200);
    const logged = await Promise.all(answered.map(async (t) => ({ t, spans: await loggedTrace(t.result!.traceId) })));
    const missing = logged.filter((x) => x.spans === undefined).map((x) => x.t);
    // The log is written in batches every 250 ms: an answer the killed replica sent just before
    // the kill may still have been queued in it. Every other answer's trace must be there.
    const missingOutsideBatchWindow = missing.filter((t) => !(servedBy(t) === "B" && t.endedAt >= killAt - 1_000));
    const stillLogged = await rootTraceIds();
    figures.kill = {
      turns: turns.length,
      answeredBeforeKill: answered.filter((t) => t.endedAt <= killAt).length,
      inFlightAtKill: run.inFlightAtKill,
      killToExitMs: goneAt - killAt,
      failedAtKill: turns
        .filter((t) => t.status !== 200)
        .map((t) => `${t.status} ${servedBy(t)}, sent ${relative(t.startedAt - killAt)} the kill`),
      afterKill: {
        turns: after.length,
        ok: after.filter((t) => t.status === 200).length,
        servedBy: after.map(servedBy),
        ...latencies(after),
      },
      retriedByNginx: turns.filter((t) => t.upstream.includes(",")).length,
      tracesAnswered: answered.length,
      tracesInLog: answered.length - missing.length,
      missing: missing.map((t) => `${servedBy(t)}, answered ${relative(t.endedAt - killAt)} the kill`),
      committedBeforeKill: run.committedBeforeKill.length,
      killedExit: run.killedExit,
    };
    expect(run.committedBeforeKill.filter((id) => !stillLogged.has(id))).toEqual([]);
    expect(missingOutsideBatchWindow.map((t) => `${t.result!.traceId} (${servedBy(t)})`)).toEqual([]);
    expect(after.length).toBeGreaterThanOrEqual(SESSIONS * TURNS_AFTER_KILL);
    expect(after.map((t) => `${t.status} ${servedBy(t)}`)).toEqual(after.map(() => "200 A"));
  });
});

async function rootTraceIds(): Promise<Set<string>> {
  const { rows } = await cluster.pool.query<{ trace_id: string }>("SELECT trace_id FROM trace_log.spans WHERE parent_span_id IS NULL");
  return new Set(rows.map((r) => r.trace_id));
}

const SESSIONS = 3;
const TURNS_AFTER_KILL = 3;

/**
 * Three conversations of calculator questions through nginx; once some turns are answered and
 * others are under way, replica B gets SIGKILL; each conversation then takes three more turns
 * once B's process is gone.
 */
async function trafficWithKill() {
  const turns: TurnOutcome[] = [];
  let inFlight = 0;
  let goneAt = Number.POSITIVE_INFINITY;
  const conversation = async (k: number) => {
    let sessionId: string | undefined;
    for (let n = 0, afterExit = 0; afterExit < TURNS_AFTER_KILL; n++) {
      inFlight++;
      const turn = await chat(cluster.lb.url, `What is ${5 + ((k * 7 + n) % 20)}% of ${1_200 + 37 * (k * 10 + n)}?`, sessionId);
      inFlight--;
      turns.push(turn);
      sessionId = turn.result?.sessionId ?? sessionId;
      if (turn.startedAt > goneAt) afterExit++;
    }
  };
  const done = Promise.all(Array.from({ length: SESSIONS }, (_, k) => conversation(k)));
  const deadline = Date.now() + 120_000;
  while (!(turns.filter((t) => t.status === 200).length >= 4 && inFlight >= 2) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const committedBeforeKill = [...(await rootTraceIds())];
  const inFlightAtKill = inFlight;
  const b = cluster.replicas[1];
  const killAt = Date.now();
  process.kill(b.server.pid, "SIGKILL");
  const killedExit = await b.server.exited;
  goneAt = Date.now();
  await done;
  return { turns, killAt, goneAt, inFlightAtKill, committedBeforeKill, killedExit };
}
