import { seededRandom } from "@/lib/math/seeded-random";
import type { TraceLog } from "@/lib/telemetry/trace-log/trace-log";
import { recordRequest, tracerInto } from "./request-traces";

/**
 * A version's worth of traffic for comparisons: `count` requests `spacingMs` apart over a fixed
 * route mix, with seeded random latency, tokens and cost, written by request-traces.ts.
 * `latencyFactor` and `tokenFactor` inject a regression into one version.
 */

export interface SyntheticTraffic {
  appVersion: string;
  promptVersion?: string;
  count: number;
  startMs: number;
  spacingMs: number;
  seed: number;
  latencyFactor?: number;
  tokenFactor?: number;
}

const ROUTES = ["knowledge_base", "knowledge_base", "sales_query", "calculator"] as const;

/** Writes `traffic.count` requests and returns their trace ids, oldest first. */
export async function writeSyntheticRequests(log: TraceLog, traffic: SyntheticTraffic): Promise<string[]> {
  const { tracer, provider } = tracerInto(log);
  const random = seededRandom(traffic.seed);
  const ids: string[] = [];
  for (let i = 0; i < traffic.count; i++) {
    const route = ROUTES[i % ROUTES.length]!;
    const latencyMs = (400 + 800 * random()) * (traffic.latencyFactor ?? 1);
    const promptTokens = Math.round((300 + 200 * random()) * (traffic.tokenFactor ?? 1));
    const completionTokens = Math.round(40 + 40 * random());
    const retrieval = route === "knowledge_base" ? { embedMs: 5, searchMs: 15, scores: [0.6 + 0.3 * random()] } : undefined;
    ids.push(
      recordRequest(tracer, {
        atMs: traffic.startMs + i * traffic.spacingMs,
        latencyMs,
        route,
        appVersion: traffic.appVersion,
        ...(traffic.promptVersion !== undefined && { promptVersion: traffic.promptVersion }),
        llm: [{ ms: latencyMs - 40, promptTokens, completionTokens, costUsd: promptTokens * 1e-6 + completionTokens * 4e-6 }],
        ...(retrieval && { retrieval }),
      }),
    );
  }
  await provider.forceFlush();
  await provider.shutdown();
  return ids;
}
