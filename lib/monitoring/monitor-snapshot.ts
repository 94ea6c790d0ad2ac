import type { AppConfig } from "../config";
import { AppError } from "../errors";
import type { AlertStore } from "../telemetry/trace-log/trace-store";
import { TraceLogReader, type TraceReader } from "../telemetry/trace-log/trace-reader";
import type { TracingPipeline } from "../telemetry/tracing-pipeline";
import type { AlertRule } from "./alert-rules";
import { loadAlertRules } from "./load-alert-rules";
import { alertOverview, type AlertOverview } from "./monitor-alerts";
import { monitorCharts, pointTraces, type MonitorChart, type PointTrace } from "./monitor-charts";
import { costBreakdown, type CostBreakdown } from "./monitor-costs";
import { monitorRange, type MonitorQuery, type MonitorRange } from "./monitor-query";
import { readRequests } from "./read-requests";
import { RequestHistory } from "./request-history";

/**
 * Everything /monitor shows for one query, assembled on the server from the trace log: the
 * charts, the traces behind each point, the cost breakdown and the alert state. The page and
 * GET /api/monitor both return this; neither computes anything itself. Eval runs are left out:
 * they trace through the same agent but are not production traffic.
 */

export interface MonitorSnapshot {
  query: MonitorQuery;
  range: MonitorRange;
  generatedAtMs: number;
  requests: number;
  charts: MonitorChart[];
  /** Bucket start → group → the traces behind that point. */
  traces: Record<string, Record<string, PointTrace[]>>;
  costs: CostBreakdown;
  alerts: AlertOverview;
  /** Phoenix's UI (its own dashboard: overall latency, tokens, cost, errors), when export is on. */
  phoenixUrl?: string;
}

export interface MonitorSources {
  reader: TraceReader;
  alertStore: Pick<AlertStore, "states" | "transitions">;
  rules: () => readonly AlertRule[];
  traceUrl: (traceId: string) => string | undefined;
  phoenixUrl?: string;
}

function rulesOrError(rules: () => readonly AlertRule[]): readonly AlertRule[] | { error: string } {
  try {
    return rules();
  } catch (error) {
    // A broken rules file must not take the charts down with it: the panel shows the error.
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

export async function monitorSnapshot(sources: MonitorSources, query: MonitorQuery, nowMs = Date.now()): Promise<MonitorSnapshot> {
  const range = monitorRange(query, nowMs);
  const requests = (await readRequests(sources.reader, range.fromMs, range.toMs)).filter((r) => r.groups.source === "production");
  const history = new RequestHistory(requests);
  return {
    query,
    range,
    generatedAtMs: nowMs,
    requests: history.size,
    charts: monitorCharts(history, range, query.groupBy),
    traces: pointTraces(history, range, query.groupBy, sources.traceUrl),
    costs: await costBreakdown(sources.reader, requests, range.fromMs, range.toMs),
    alerts: alertOverview(
      rulesOrError(sources.rules),
      await sources.alertStore.states(),
      await sources.alertStore.transitions(range.fromMs),
    ),
    ...(sources.phoenixUrl !== undefined && { phoenixUrl: sources.phoenixUrl }),
  };
}

/** The running server's sources: its trace log, its rules file, its Phoenix links. */
export function appMonitorSources(config: AppConfig, tracing: TracingPipeline | undefined): MonitorSources {
  if (!tracing) throw new AppError("tracing_off", "Tracing is off (TRACING=off): there is no trace log to monitor");
  const { phoenix } = config.tracing;
  return {
    reader: new TraceLogReader(tracing.traceLog),
    alertStore: tracing.traceLog.alerts,
    rules: () => loadAlertRules(config.alerts.rulesPath),
    traceUrl: (traceId) => tracing.traceUrl(traceId),
    ...(phoenix.export && { phoenixUrl: `${phoenix.uiUrl}/projects` }),
  };
}
