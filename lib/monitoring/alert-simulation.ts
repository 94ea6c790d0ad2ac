import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { seededRandom } from "../math/seeded-random";
import { OnlineAnnotations } from "../telemetry/attributes";
import { TraceLog } from "../telemetry/trace-log/trace-log";
import { TraceLogReader } from "../telemetry/trace-log/trace-reader";
import { firingEpisodes, type FiringEpisode } from "./alert-report";
import { ruleLookbackMs, type AlertRule } from "./alert-rules";
import { readRequests } from "./read-requests";
import { RequestHistory } from "./request-history";
import { replayRule } from "./replay";
import { recordRequest, simulationTracerInto } from "./simulated-requests";

/**
 * `npm run alerts:simulate`: each default alert rule backtested (replay.ts, as `npm run alerts --
 * --backtest` does) on simulated production traffic written into a temp trace log, once unchanged
 * (every firing is a false alert) and once with the regression the rule is meant to catch injected
 * for a few windows (how many windows until it fires, how many after the injection stops until
 * it resolves). Seeded: the same options give the same figures on every machine.
 *
 * The traffic: a steady rate of requests, evenly spaced with jitter; routes knowledge_base 50 %,
 * sales_query 30 %, calculator 20 %; latency lognormal per route; prompt and completion tokens
 * lognormal, cost from tokens × gpt-4o-mini's price; retrieval on knowledge_base only, top score
 * normal(0.72, 0.06); route confidence normal(0.85, 0.07); 1 % errors; the online eval samples 25 %
 * (claim check 5 % unsupported, retrieval relevance ≈ top score); 30 % of answers rated, 10 % 👎.
 */

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Midnight UTC, so every rule's windows (epoch-aligned) start on the simulation's grid. */
const T0 = Date.parse("2026-03-02T00:00:00Z");
const MODEL = "gpt-4o-mini";
/** USD per token, gpt-4o-mini's list price. */
const PRICE = { prompt: 0.15e-6, completion: 0.6e-6 };
/** Regressions last this many windows, then traffic goes back to normal. */
const INJECTED_WINDOWS = 4;
/** The first injected window, as a share of the evaluated windows. */
const INJECT_AT = 1 / 3;

export interface Injection {
  latencyFactor?: { route: string; factor: number };
  errorRate?: number;
  costFactor?: number;
  hallucinationPoints?: number;
  irrelevantRetrieval?: boolean;
  confidenceShift?: number;
  thumbsDownPoints?: number;
}

interface RulePlan {
  /** Requests per window of the rule. */
  perWindow: number;
  injection: Injection;
  describe: string;
  /** The group whose firing counts as detection (the injected one); any group when undefined. */
  group?: string;
}

/** Per default rule: a rate that gives every window its min_samples, and the regression it should catch. */
const PLANS: Record<string, RulePlan> = {
  "p95-latency-spike": {
    perWindow: 120,
    injection: { latencyFactor: { route: "knowledge_base", factor: 2 } },
    describe: "latency ×2 on knowledge_base",
    group: "route=knowledge_base",
  },
  "error-rate": { perWindow: 60, injection: { errorRate: 0.1 }, describe: "errors 1 % → 10 %" },
  "cost-per-request-anomaly": { perWindow: 60, injection: { costFactor: 1.6 }, describe: "tokens and cost ×1.6 (prompt bloat)" },
  "hallucination-rate-increase": {
    perWindow: 200,
    injection: { hallucinationPoints: 0.15 },
    describe: "unsupported claims 5 % → 20 %",
  },
  "retrieval-relevance-drop": {
    perWindow: 80,
    injection: { irrelevantRetrieval: true },
    describe: "top score 0.72 → 0.52 (irrelevant context)",
  },
  "routing-confidence-drop": {
    perWindow: 60,
    injection: { confidenceShift: -0.2 },
    describe: "app 1.1.0: route confidence −0.2 (rolled back to 1.0.0 after)",
  },
  "thumbs-down-increase": { perWindow: 180, injection: { thumbsDownPoints: 0.15 }, describe: "👎 10 % → 25 % of rated" },
};

export interface SimulationOptions {
  /** The evaluated range in days (at least 12 windows of the rule), after the history the rule's baseline needs. */
  days: number;
  seed: number;
}

export interface RuleSimulation {
  rule: string;
  windowMs: number;
  windows: number;
  requestsEvaluated: number;
  falseAlerts: number;
  injected: string;
  /** First firing window − first injected window; undefined: never fired. */
  detectionDelayWindows?: number;
  /** Resolving window − first window after the injection; undefined: never resolved. Negative: resolved while still injected. */
  resolvedAfterWindows?: number;
  /** The injected run's other firings (another group, before the injection, or a second episode). */
  otherAlertsInjected: number;
}

function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

const ROUTES = [
  // median latency ms, lognormal sigma, median prompt tokens
  { route: "knowledge_base", share: 0.5, latencyMs: 1800, sigma: 0.35, promptTokens: 1400 },
  { route: "sales_query", share: 0.3, latencyMs: 2500, sigma: 0.4, promptTokens: 900 },
  { route: "calculator", share: 0.2, latencyMs: 900, sigma: 0.3, promptTokens: 400 },
] as const;

interface Traffic {
  fromMs: number;
  untilMs: number;
  spacingMs: number;
  injectFromMs: number;
  injectUntilMs: number;
  injection?: Injection;
  /** The app version deployed from injectFromMs to injectUntilMs (the routing rule's baseline is the previous version). */
  deployVersion?: string;
}

/** Writes the traffic, then its online eval annotations and feedback; returns how many requests. */
async function writeTraffic(log: TraceLog, traffic: Traffic, seed: number): Promise<number> {
  const random = seededRandom(seed);
  const normal = gaussian(random);
  const lognormal = (median: number, sigma: number) => median * Math.exp(sigma * normal());
  const { tracer, provider } = simulationTracerInto(log, "alerts-simulation");
  const judged: { traceId: string; claims?: boolean; relevance?: number; thumbsDown?: boolean }[] = [];
  let count = 0;
  for (let at = traffic.fromMs; at < traffic.untilMs; at += traffic.spacingMs) {
    const atMs = Math.floor(at + random() * traffic.spacingMs);
    const during = atMs >= traffic.injectFromMs && atMs < traffic.injectUntilMs;
    const inj: Injection = (during && traffic.injection) || {};
    const pick = random();
    const r = pick < ROUTES[0].share ? ROUTES[0] : pick < ROUTES[0].share + ROUTES[1].share ? ROUTES[1] : ROUTES[2];
    const slower = inj.latencyFactor?.route === r.route ? inj.latencyFactor.factor : 1;
    const latencyMs = Math.round(lognormal(r.latencyMs, r.sigma) * slower);
    const costFactor = inj.costFactor ?? 1;
    const promptTokens = Math.round(lognormal(r.promptTokens, 0.25) * costFactor);
    const completionTokens = Math.round(lognormal(120, 0.5) * costFactor);
    const costUsd = promptTokens * PRICE.prompt + completionTokens * PRICE.completion;
    const searched = r.route === "knowledge_base";
    const top = clamp(inj.irrelevantRetrieval ? 0.52 + 0.08 * normal() : 0.72 + 0.06 * normal(), 0.05, 0.99);
    const scores = [top, ...[1, 2, 3, 4].map((i) => clamp(top - 0.03 * i - 0.02 * random(), 0, 1))];
    const failed = random() < (inj.errorRate ?? 0.01);
    const confidence = clamp(0.85 + 0.07 * normal() + (inj.confidenceShift ?? 0), 0, 1);
    const llmMs = Math.max(50, latencyMs - (searched ? 60 : 10));
    const traceId = recordRequest(tracer, {
      atMs,
      latencyMs,
      route: r.route,
      model: MODEL,
      appVersion: during && traffic.deployVersion ? traffic.deployVersion : "1.0.0",
      failed,
      routeConfidence: Number(confidence.toFixed(3)),
      ...(searched && { retrieval: { embedMs: 15, searchMs: 30, scores } }),
      llm: [{ ms: llmMs, promptTokens, completionTokens, costUsd }],
    });
    count++;
    const sampled = random() < 0.25;
    const rated = random() < 0.3;
    const claimsRoll = random();
    const thumbsRoll = random();
    if (sampled || rated) {
      judged.push({
        traceId,
        ...(sampled && { claims: claimsRoll < 0.05 + (inj.hallucinationPoints ?? 0) }),
        ...(sampled && searched && { relevance: Number(clamp(top + 0.05 * normal(), 0, 1).toFixed(3)) }),
        ...(rated && { thumbsDown: thumbsRoll < 0.1 + (inj.thumbsDownPoints ?? 0) }),
      });
    }
  }
  await provider.forceFlush();
  await provider.shutdown();
  for (const j of judged) {
    if (j.claims !== undefined)
      log.addAnnotation({
        traceId: j.traceId,
        name: OnlineAnnotations.CLAIMS,
        annotatorKind: "CODE",
        label: j.claims ? "unsupported_claims" : "supported",
      });
    if (j.relevance !== undefined)
      log.addAnnotation({ traceId: j.traceId, name: OnlineAnnotations.RETRIEVAL_RELEVANCE, annotatorKind: "LLM", score: j.relevance });
    if (j.thumbsDown !== undefined) log.addFeedback({ traceId: j.traceId, score: j.thumbsDown ? 0 : 1, source: "simulation" });
  }
  return count;
}

interface Run {
  episodes: FiringEpisode[];
  windows: number;
  requestsEvaluated: number;
}

async function backtest(rule: AlertRule, traffic: Traffic, since: number, seed: number): Promise<Run> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "alerts-simulate-"));
  const log = new TraceLog(path.join(dir, "traces.sqlite"));
  try {
    await writeTraffic(log, traffic, seed);
    const history = new RequestHistory(await readRequests(new TraceLogReader(log), traffic.fromMs, traffic.untilMs));
    const replay = replayRule(rule, history, since, traffic.untilMs);
    return {
      episodes: firingEpisodes([replay]),
      windows: replay.windows,
      requestsEvaluated: history.between(since, traffic.untilMs).length,
    };
  } finally {
    log.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The default rules this simulation knows a regression for. */
export function simulatedRuleNames(): string[] {
  return Object.keys(PLANS);
}

export async function simulateRule(rule: AlertRule, options: SimulationOptions): Promise<RuleSimulation> {
  const plan = PLANS[rule.name];
  if (!plan) throw new Error(`no simulation for rule "${rule.name}" (known: ${simulatedRuleNames().join(", ")})`);
  const w = rule.window;
  const lookbackWindows = Math.ceil(ruleLookbackMs(rule) / w);
  const evaluated = Math.max(12, Math.round((options.days * DAY) / w));
  const since = T0 + lookbackWindows * w;
  const until = since + evaluated * w;
  const injectIndex = Math.floor(evaluated * INJECT_AT);
  const injectFromMs = since + injectIndex * w;
  const injectUntilMs = injectFromMs + INJECTED_WINDOWS * w;
  const base = { fromMs: T0, untilMs: until, spacingMs: w / plan.perWindow, injectFromMs, injectUntilMs, deployVersion: "1.1.0" };
  const clean = await backtest(rule, base, since, options.seed);
  const injected = await backtest(rule, { ...base, injection: plan.injection }, since, options.seed);
  const windowIndex = (atMs: number) => Math.round((atMs - since) / w) - 1;
  const detecting = injected.episodes.filter((e) => (plan.group === undefined || e.group === plan.group) && e.firedAtMs > injectFromMs);
  const first = detecting[0];
  return {
    rule: rule.name,
    windowMs: w,
    windows: clean.windows,
    requestsEvaluated: clean.requestsEvaluated,
    falseAlerts: clean.episodes.length,
    injected: plan.describe,
    ...(first && { detectionDelayWindows: windowIndex(first.firedAtMs) - injectIndex }),
    ...(first?.resolvedAtMs !== undefined && { resolvedAfterWindows: windowIndex(first.resolvedAtMs) - (injectIndex + INJECTED_WINDOWS) }),
    otherAlertsInjected: injected.episodes.length - (first ? 1 : 0),
  };
}
