import path from "node:path";
import cliProgress from "cli-progress";
import { z } from "zod";
import { parseFlags } from "@/lib/cli/parse-flags";
import { formatFaultSet, parseFaultSpecs, type FaultSet } from "@/lib/faults/fault-spec";
import { FAULT_INJECT_HEADER, FAULT_TOKEN_HEADER } from "@/lib/faults/fault-switch";
import { createTrafficClient, type TrafficClient } from "./client";
import { mapPool } from "../map-pool";
import { DEFAULT_CONVERSATIONS_FILE, loadConversations } from "./load";
import { formatPlan, newRunId, planRun, type Plan } from "./plan";
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
  --inject <fault>       a regression the app injects into every turn (repeatable):
                         latency=<n>x, retrieval=shuffle, cost=prompt-bloat, errors=<n>%, answers=invent;
                         only a test server started with FAULT_INJECTION_TOKEN and
                         ALLOW_FAULT_INJECTION accepts it (README, "Fault injection")
  --fault-token <token>  that server's FAULT_INJECTION_TOKEN (needed with --inject)

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
  /** Faults every chat turn asks the app to inject, with the server's token. */
  inject?: { faults: FaultSet; token: string };
  help: boolean;
}

/** An integer flag, with the message the CLI has always given ("--seed: expected an integer >= 0, got "x""). */
const integerFlag = (min: number) =>
  z
    .string()
    .refine((raw) => raw.trim() !== "" && Number.isInteger(Number(raw)) && Number(raw) >= min, {
      error: (issue) => `expected an integer >= ${min}, got "${String(issue.input)}"`,
    })
    .transform(Number);

function isHttpUrl(raw: string): boolean {
  try {
    return ["http:", "https:"].includes(new URL(raw).protocol);
  } catch {
    return false;
  }
}

const flagsSchema = z.object({
  url: z
    .string()
    .refine(isHttpUrl, { error: (issue) => `"${String(issue.input)}" is not an http(s) URL` })
    .default("http://localhost:3000"),
  sessions: integerFlag(1).optional(),
  seed: integerFlag(0).default(42),
  concurrency: integerFlag(1).default(1),
  "feedback-rate": z
    .string()
    .refine((raw) => raw.trim() !== "" && Number(raw) >= 0 && Number(raw) <= 1, {
      error: (issue) => `expected a number from 0 to 1, got "${String(issue.input)}"`,
    })
    .transform(Number)
    .optional(),
  "timeout-ms": integerFlag(1).default(180_000),
  file: z.string().optional(),
  "run-id": z.string().optional(),
  inject: z.array(z.string()).optional(),
  "fault-token": z.string().min(1).optional(),
  "dry-run": z.boolean().default(false),
  verbose: z.boolean().default(false),
  help: z.boolean().default(false),
});

function injectArgs(specs: string[] | undefined, token: string | undefined): Pick<TrafficArgs, "inject"> {
  if (!specs?.length) return {};
  const faults = parseFaultSpecs(specs.flatMap((s) => s.split(",")));
  if (!token) throw new Error("--inject needs --fault-token (the server's FAULT_INJECTION_TOKEN)");
  return { inject: { faults, token } };
}

export function parseTrafficArgs(argv: readonly string[]): TrafficArgs {
  const flags = parseFlags(argv, flagsSchema, {
    booleans: ["dry-run", "verbose", "help"],
    repeatable: ["inject"],
    short: { h: "help" },
    usageHint: "see `npm run traffic -- --help`",
  });
  return {
    url: flags.url,
    ...(flags.sessions !== undefined ? { sessions: flags.sessions } : {}),
    seed: flags.seed,
    concurrency: flags.concurrency,
    ...(flags["feedback-rate"] !== undefined ? { feedbackRate: flags["feedback-rate"] } : {}),
    timeoutMs: flags["timeout-ms"],
    dryRun: flags["dry-run"],
    verbose: flags.verbose,
    file: flags.file === undefined ? DEFAULT_CONVERSATIONS_FILE : path.resolve(flags.file),
    ...(flags["run-id"] !== undefined ? { runId: flags["run-id"] } : {}),
    ...injectArgs(flags.inject, flags["fault-token"]),
    help: flags.help,
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
  client?: (url: string, timeoutMs: number, signal?: AbortSignal, headers?: Record<string, string>) => TrafficClient;
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

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The sessions to play, or undefined (after saying why) when the conversations file or the flags do not make a plan. */
function planFor(args: TrafficArgs, io: TrafficIo): Plan | undefined {
  try {
    return planRun(loadConversations(args.file), {
      seed: args.seed,
      runId: args.runId ?? newRunId(),
      ...(args.sessions ? { sessions: args.sessions } : {}),
    });
  } catch (error) {
    io.err(`traffic: ${messageOf(error)}`);
    return undefined;
  }
}

/** Whether the app answers and is ready, saying what to do when not; where its traces go, when it is. */
async function readyApp(client: TrafficClient, io: TrafficIo): Promise<{ where: string } | undefined> {
  const health = await client.health();
  if (!health.reachable) {
    io.err(
      `traffic: the app is not reachable at ${client.baseUrl} (${health.error.code}: ${health.error.message}).\nStart it with \`npm start\` (or point --url at it), then run this again.`,
    );
    return undefined;
  }
  if (!health.ready) {
    const missing = health.missing.length > 0 ? `: ${health.missing.join("; ")}` : ` (GET /api/health answered ${health.status})`;
    io.err(
      `traffic: the app at ${client.baseUrl} is up but not ready${missing}.\nStart it with \`npm start\` (it fetches the models and builds the index), then run this again.`,
    );
    return undefined;
  }
  if (health.tracing && !health.tracing.enabled) {
    io.err("traffic: warning: the app runs with TRACING=off, so these requests leave no traces and feedback cannot be stored.");
  }
  const where = health.tracing?.enabled
    ? // Where the log and Phoenix live is told to the admin only (GET /api/health with ADMIN_TOKEN).
      ` -> the app's trace log${health.tracing.log ? ` ${health.tracing.log}` : ""}${health.tracing.phoenix ? ` and Phoenix at ${health.tracing.phoenix}` : ""}`
    : "";
  return { where };
}

/** Counts turns as they finish, on a progress bar (a terminal) or one line each (`--verbose`). */
function turnReporter(args: TrafficArgs, io: TrafficIo, turns: number): { onTurn: (o: TurnOutcome) => void; stop: () => void } {
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
  bar?.start(turns, 0, { errors: 0, up: 0, down: 0 });
  const onTurn = (o: TurnOutcome) => {
    tally.done++;
    if (!o.chat.ok) tally.errors++;
    if (o.feedback?.sent && o.feedback.ok) tally[o.feedback.score === 1 ? "up" : "down"]++;
    bar?.update(tally.done, { errors: tally.errors, up: tally.up, down: tally.down });
    if (args.verbose) io.out(turnLine(o));
  };
  return { onTurn, stop: () => bar?.stop() };
}

/** Plays the sessions, `--concurrency` at a time; after Ctrl-C no new session starts. */
async function playAll(plan: Plan, args: TrafficArgs, client: TrafficClient, io: TrafficIo): Promise<TurnOutcome[]> {
  const stopped = () => io.signal?.aborted ?? false;
  const reporter = turnReporter(args, io, plan.turns);
  try {
    const played = await mapPool(
      plan.sessions,
      args.concurrency,
      (session) =>
        playSession(session, {
          client,
          seed: args.seed,
          onTurn: reporter.onTurn,
          stopped,
          ...(args.feedbackRate !== undefined ? { feedbackRate: args.feedbackRate } : {}),
        }),
      { stopped },
    );
    return played.flatMap((outcomes) => outcomes ?? []);
  } finally {
    reporter.stop();
  }
}

const defaultClient: NonNullable<TrafficIo["client"]> = (url, timeoutMs, signal, chatHeaders) =>
  createTrafficClient({ baseUrl: url, timeoutMs, ...(signal ? { signal } : {}), ...(chatHeaders ? { chatHeaders } : {}) });

const faultHeaders = (inject: TrafficArgs["inject"]) =>
  inject ? { [FAULT_INJECT_HEADER]: formatFaultSet(inject.faults), [FAULT_TOKEN_HEADER]: inject.token } : undefined;

/** `npm run traffic`: resolves to the exit code. */
export async function runTrafficCli(argv: readonly string[], io: TrafficIo = defaultIo): Promise<number> {
  let args: TrafficArgs;
  try {
    args = parseTrafficArgs(argv);
  } catch (error) {
    io.err(`traffic: ${messageOf(error)}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    io.out(USAGE);
    return 0;
  }
  const plan = planFor(args, io);
  if (!plan) return 2;
  if (args.dryRun) {
    io.out(formatPlan(plan));
    return 0;
  }

  const client = (io.client ?? defaultClient)(args.url, args.timeoutMs, io.signal, faultHeaders(args.inject));
  const app = await readyApp(client, io);
  if (!app) return 2;
  io.out(
    `traffic: ${plan.sessions.length} sessions, ${plan.turns} turns against ${client.baseUrl} (seed ${plan.seed}, run ${plan.runId}, concurrency ${args.concurrency})${app.where}${args.inject ? `, injecting ${formatFaultSet(args.inject.faults)}` : ""}`,
  );
  const started = performance.now();
  const summary = summarize(await playAll(plan, args, client, io), { seconds: (performance.now() - started) / 1000 });
  if (io.signal?.aborted) io.out(`traffic: stopped early; ${summary.turns} of ${plan.turns} turns played.`);
  io.out(formatSummary(summary));
  const code = exitCodeFor(summary);
  if (code === 1) io.err("traffic: every chat request failed; see the errors above.");
  return code;
}
