import { SemanticConventions as SC } from "@arizeai/openinference-semantic-conventions";
import { objectAttribute, type LoggedSpan, type TraceReader } from "../telemetry/trace-log/trace-reader";
import type { RequestFacts } from "./request-facts";

/**
 * Where the money goes over a window: cost, tokens and calls by route and by chat model (from
 * the request facts) and by agent step (from the LLM spans: the LangGraph node each call ran
 * in, e.g. `respond`, or the span's name outside the graph). Phoenix totals cost per trace and
 * per span; it has no breakdown by route or step.
 */

export interface CostRow {
  key: string;
  /** Requests (by route or model) or LLM calls (by step). */
  count: number;
  costUsd: number;
  promptTokens: number;
  completionTokens: number;
  /** Requests or calls whose model had no price: their cost is unknown, not 0. */
  unpriced: number;
}

export interface CostBreakdown {
  byRoute: CostRow[];
  byModel: CostRow[];
  /** Undefined when the reader cannot read spans by time window. */
  byStep?: CostRow[];
}

const SLICE_MS = 6 * 3_600_000;

function add(
  rows: Map<string, CostRow>,
  key: string,
  cost: number | undefined,
  prompt: number | undefined,
  completion: number | undefined,
): void {
  const row = rows.get(key) ?? { key, count: 0, costUsd: 0, promptTokens: 0, completionTokens: 0, unpriced: 0 };
  row.count++;
  if (cost === undefined) row.unpriced++;
  else row.costUsd += cost;
  row.promptTokens += prompt ?? 0;
  row.completionTokens += completion ?? 0;
  rows.set(key, row);
}

const sorted = (rows: Map<string, CostRow>) =>
  [...rows.values()].sort((a, b) => b.costUsd - a.costUsd || b.count - a.count || (a.key < b.key ? -1 : 1));
const num = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : undefined);

function costsBy(requests: readonly RequestFacts[], dimension: "route" | "model"): CostRow[] {
  const rows = new Map<string, CostRow>();
  for (const r of requests) add(rows, r.groups[dimension], r.costUsd, r.promptTokens, r.completionTokens);
  return sorted(rows);
}

/** The LangGraph node an LLM call ran in (LangChain puts it in the span's metadata), else the span's name. */
export function stepOf(span: LoggedSpan): string {
  const node = objectAttribute(span.attributes, SC.METADATA)?.langgraph_node;
  return typeof node === "string" && node !== "" ? node : span.name;
}

async function costsByStep(
  reader: TraceReader,
  fromMs: number,
  toMs: number,
  production: ReadonlySet<string>,
): Promise<CostRow[] | undefined> {
  if (!reader.traceWindow) return undefined;
  const rows = new Map<string, CostRow>();
  for (let start = fromMs; start < toMs; start += SLICE_MS) {
    const { spans } = await reader.traceWindow(start, Math.min(start + SLICE_MS, toMs));
    for (const span of spans) {
      if (span.spanKind !== "LLM" || !production.has(span.traceId)) continue;
      const a = span.attributes;
      add(rows, stepOf(span), num(a[SC.LLM_COST_TOTAL]), num(a[SC.LLM_TOKEN_COUNT_PROMPT]), num(a[SC.LLM_TOKEN_COUNT_COMPLETION]));
    }
  }
  return sorted(rows);
}

/** The breakdown of `requests` (already filtered to what the page shows) over [fromMs, toMs). */
export async function costBreakdown(
  reader: TraceReader,
  requests: readonly RequestFacts[],
  fromMs: number,
  toMs: number,
): Promise<CostBreakdown> {
  const byStep = await costsByStep(reader, fromMs, toMs, new Set(requests.map((r) => r.traceId)));
  return { byRoute: costsBy(requests, "route"), byModel: costsBy(requests, "model"), ...(byStep && { byStep }) };
}
