import path from "node:path";
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { createTrafficClient, type TrafficClient } from "./client";
import { ConversationsFileError, DEFAULT_CONVERSATIONS_FILE, loadConversations } from "./load";
import { formatPlan, newRunId, planRun, type PlannedSession } from "./plan";
import { playSession, type TurnOutcome } from "./play";
import { exitCodeFor, formatSummary, summarize } from "./summary";

export const USAGE = `npm run traffic -- [options]

Plays the simulated user sessions of evals/traffic/conversations.json against a running app
over HTTP (POST /api/chat, POST /api/feedback), so that the trace log (and Phoenix, when up)
holds production traffic to curate. Nothing is written to the eval datasets.

  --url <url>            the app (default http://localhost:3000)
  --sessions <n>         play n sessions, picked by the seed across personas (default all)
  --seed <n>             session choice and order, and every feedback decision (default 42)
  --concurrency <n>      sessions played at once (default 1: the local model is CPU-bound)
  --feedback-rate <0-1>  probability of rating an answer, instead of each persona's own
  --timeout-ms <n>       per request (default 180000)
  --dry-run              print the plan and exit; contacts nothing
  --verbose              one line per turn instead of the progress bar
  --file <path>          another conversations file
  --run-id <id>          the suffix of the session ids (default: from the clock)

Exit: 0 played (individual failed requests are in the summary), 1 every request failed,
2 bad arguments or conversations file, or the app is not reachable or not ready.`;

export interface TrafficArgs {
  url: string;
  sessions?: number;
  seed: number;
  concurrency: number;
  feedbackRate?: number;
  timeoutMs: number;
  dryRun: boolean;
  verbose: boolean;
  file: string;
  runId?: string;
  help: boolean;
}

function integer(raw: string | undefined, flag: string, min: number, fallback: number): number;
function integer(raw: string | undefined, flag: string, min: number): number | undefined;
function integer(raw: string | undefined, flag: string, min: number, fallback?: number): number | undefined {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isInteger(n) || n < min) throw new Error(`--${flag}: expected an integer >= ${min}, got "${raw}"`);
  return n;
}

function httpUrl(raw: string): string {
  let protocol: string;
  try {
    protocol = new URL(raw).protocol;
  } catch {
    protocol = "";
  }
  if (protocol !== "http:" && protocol !== "https:") throw new Error(`--url: "${raw}" is not an http(s) URL`);
  return raw;
}

function rate(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(n) || n < 0 || n > 1)
    throw new Error(`--feedback-rate: expected a number from 0 to 1, got "${raw}"`);
  return n;
}

export function parseTrafficArgs(argv: readonly string[]): TrafficArgs {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      url: { type: "string", default: "http://localhost:3000" },
      sessions: { type: "string" },
      seed: { type: "string" },
      concurrency: { type: "string" },
      "feedback-rate": { type: "string" },
      "timeout-ms": { type: "string" },
      file: { type: "string" },
      "run-id": { type: "string" },
      "dry-run": { type: "boolean", default: false },
      verbose: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const sessions = integer(values.sessions, "sessions", 1);
  const feedbackRate = rate(values["feedback-rate"]);
  return {
    url: httpUrl(values.url),
    ...(sessions !== undefined ? { sessions } : {}),
    seed: integer(values.seed, "seed", 0, 42),
    concurrency: integer(values.concurrency, "concurrency", 1, 1),
    ...(feedbackRate !== undefined ? { feedbackRate } : {}),
    timeoutMs: integer(values["timeout-ms"], "timeout-ms", 1, 180_000),
    dryRun: values["dry-run"],
    verbose: values.verbose,
    file: values.file === undefined ? DEFAULT_CONVERSATIONS_FILE : path.resolve(values.file),
    ...(values["run-id"] !== undefined ? { runId: values["run-id"] } : {}),
    help: values.help,
  };
}

export interface TrafficIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Draw a progress bar on stderr (a terminal). */
  progress: boolean;
  /** Aborted on Ctrl-C: no new turns start, requests in flight end. */
  signal?: AbortSignal;
  /** For tests. */
  client?: (url: string, timeoutMs: number, signal?: AbortSignal) => TrafficClient;
}

const defaultIo: TrafficIo = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  progress: Boolean(process.stderr.isTTY),
};

function turnLine(o: TurnOutcome): string {
  const head = `${o.sessionId} ${JSON.stringify(o.message.length > 60 ? `${o.message.slice(0, 57)}...` : o.message)}`;
  if (!o.chat.ok)
    return `${head} -> error ${o.chat.error.code}${o.chat.error.status ? ` (HTTP ${o.chat.error.status})` : ""}: ${o.chat.error.message}`;
  const f = o.feedback;
  const feedback =
    !f || !f.sent
      ? "no feedback"
      : !f.ok
        ? `feedback failed (${f.error.code})`
        : `${f.score === 1 ? "👍" : "👎"}${f.comment ? ` "${f.comment}"` : ""}`;
  return `${head} -> ${o.chat.route ?? "(no route)"}${o.chat.route !== o.intendedRoute ? ` (intended ${o.intendedRoute})` : ""}, ${(o.ms / 1000).toFixed(1)} s, trace ${o.chat.traceId}, ${feedback}`;
}

/** `npm run traffic`: resolves to the exit code. */
export async function runTrafficCli(argv: readonly string[], io: TrafficIo = defaultIo): Promise<number> {
  let args: TrafficArgs;
  try {
    args = parseTrafficArgs(argv);
  } catch (error) {
    io.err(`traffic: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    io.out(USAGE);
    return 0;
  }

  let sessions: PlannedSession[];
  let plan;
  try {
    plan = planRun(loadConversations(args.file), {
      seed: args.seed,
      runId: args.runId ?? newRunId(),
      ...(args.sessions ? { sessions: args.sessions } : {}),
    });
    sessions = plan.sessions;
  } catch (error) {
    io.err(error instanceof ConversationsFileError ? `traffic: ${error.message}` : `traffic: ${(error as Error).message}`);
    return 2;
  }
  if (args.dryRun) {
    io.out(formatPlan(plan));
    return 0;
  }

  const client = (
    io.client ?? ((url, timeoutMs, signal) => createTrafficClient({ baseUrl: url, timeoutMs, ...(signal ? { signal } : {}) }))
  )(args.url, args.timeoutMs, io.signal);
  const health = await client.health();
  if (!health.reachable) {
    io.err(
      `traffic: the app is not reachable at ${client.baseUrl} (${health.error.code}: ${health.error.message}).\nStart it with \`npm start\` (or point --url at it), then run this again.`,
    );
    return 2;
  }
  if (!health.ready) {
    const missing = health.missing.length > 0 ? `: ${health.missing.join("; ")}` : ` (GET /api/health answered ${health.status})`;
    io.err(
      `traffic: the app at ${client.baseUrl} is up but not ready${missing}.\nStart it with \`npm start\` (it fetches the models and builds the index), then run this again.`,
    );
    return 2;
  }
  if (health.tracing && !health.tracing.enabled) {
    io.err("traffic: warning: the app runs with TRACING=off, so these requests leave no traces and feedback cannot be stored.");
  }
  const where = health.tracing?.enabled
    ? ` -> trace log ${health.tracing.log ?? "?"}${health.tracing.phoenix ? ` and Phoenix at ${health.tracing.phoenix}` : ""}`
    : "";
  io.out(
    `traffic: ${sessions.length} sessions, ${plan.turns} turns against ${client.baseUrl} (seed ${plan.seed}, run ${plan.runId}, concurrency ${args.concurrency})${where}`,
  );

  const bar =
    io.progress && !args.verbose
      ? new cliProgress.SingleBar(
          {
            format: "Traffic [{bar}] {value}/{total} turns | errors {errors} | 👍 {up} 👎 {down} | {duration_formatted}",
            hideCursor: true,
            stream: process.stderr,
          },
          cliProgress.Presets.shades_classic,
        )
      : undefined;
  const tally = { done: 0, errors: 0, up: 0, down: 0 };
  bar?.start(plan.turns, 0, { errors: 0, up: 0, down: 0 });
  const onTurn = (o: TurnOutcome) => {
    tally.done++;
    if (!o.chat.ok) tally.errors++;
    if (o.feedback?.sent && o.feedback.ok) tally[o.feedback.score === 1 ? "up" : "down"]++;
    bar?.update(tally.done, { errors: tally.errors, up: tally.up, down: tally.down });
    if (args.verbose) io.out(turnLine(o));
  };

  const started = performance.now();
  const results: TurnOutcome[][] = new Array<TurnOutcome[]>(sessions.length);
  let next = 0;
  const stopped = () => io.signal?.aborted ?? false;
  const worker = async () => {
    while (next < sessions.length && !stopped()) {
      const index = next++;
      results[index] = await playSession(sessions[index]!, {
        client,
        seed: args.seed,
        onTurn,
        stopped,
        ...(args.feedbackRate !== undefined ? { feedbackRate: args.feedbackRate } : {}),
      });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(args.concurrency, sessions.length) }, worker));
  } finally {
    bar?.stop();
  }
  const summary = summarize(results.flat(), { seconds: (performance.now() - started) / 1000 });
  if (stopped()) io.out(`traffic: stopped early; ${summary.turns} of ${plan.turns} turns played.`);
  io.out(formatSummary(summary));
  const code = exitCodeFor(summary);
  if (code === 1) io.err("traffic: every chat request failed; see the errors above.");
  return code;
}
