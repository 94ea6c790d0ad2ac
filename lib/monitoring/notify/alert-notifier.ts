import type { AppConfig } from "../../config";
import type { PhoenixClient } from "../../telemetry/phoenix-client";
import type { TracingPipeline } from "../../telemetry/tracing-pipeline";
import type { TraceStore } from "../../telemetry/trace-log/trace-store";
import { TraceLogReader } from "../../telemetry/trace-log/trace-reader";
import type { AlertTransition } from "../alert-evaluator";
import type { AlertRule } from "../alert-rules";
import { loadAlertRules } from "../load-alert-rules";
import { readRequests } from "../read-requests";
import type { RequestFacts } from "../request-facts";
import { annotateAlert } from "./alert-annotation";
import { noticeHeadline, noticeId, windowOf, type AlertNotice } from "./alert-notice";
import type { NotifyConfig } from "./notify-env";
import { representativeTrace } from "./representative-trace";
import { WebhookChannel, type DeliveryResult, type WebhookDeps, type WebhookStatus } from "./webhook-channel";
import { webhookBody } from "./webhook-payload";

/**
 * Tells the world about alert transitions: one line in the server log at once; then, in the
 * background, a representative trace of the window is looked up, annotated (trace log and
 * Phoenix) and named in the webhook's payload. `notify` returns before any of that waits, so
 * the evaluator's tick, and the chat beside it, never wait for a receiver or for Phoenix.
 */

export interface AlertNotifierDeps {
  config: NotifyConfig;
  /** Names the deployment in payloads when ALERT_SOURCE_NAME does not. */
  defaultSource: string;
  /** The rule definitions by name (metric, window, filter), for payloads and the representative trace. */
  rules: () => readonly AlertRule[];
  /** The requests of a window, oldest first. */
  requests?: (sinceMs: number, untilMs: number) => Promise<RequestFacts[]>;
  traceLog?: Pick<TraceStore, "addAnnotation">;
  phoenix?: Pick<PhoenixClient, "annotateSpans">;
  traceUrl?: (traceId: string) => string | undefined;
  log?: (line: string) => void;
  warn?: (line: string) => void;
  webhook?: WebhookDeps;
  /** Phoenix ingestion retries (tests shorten them). */
  annotationRetryDelaysMs?: readonly number[];
}

export interface NotifyResult {
  id: string;
  /** Settles once the trace is annotated and the webhook delivered or given up on. Never rejects. */
  done: Promise<{ traceId?: string; delivery?: DeliveryResult }>;
}

export interface NotifierStatus {
  notified: Record<"firing" | "resolved" | "escalated" | "renotify", number>;
  webhook?: WebhookStatus;
}

export class AlertNotifier {
  private readonly webhook?: WebhookChannel;
  private readonly log: (line: string) => void;
  private readonly warn: (line: string) => void;
  private readonly counts = { firing: 0, resolved: 0, escalated: 0, renotify: 0 };

  constructor(private readonly deps: AlertNotifierDeps) {
    this.log = deps.log ?? ((line) => console.log(line));
    this.warn = deps.warn ?? ((line) => console.warn(line));
    if (deps.config.webhook) this.webhook = new WebhookChannel(deps.config.webhook, { warn: this.warn, ...deps.webhook });
  }

  /** Notifies one transition the alert-state store let this process claim. */
  notify(transition: AlertTransition): NotifyResult {
    const notice: AlertNotice = { transition, ...this.ruleOf(transition.rule) };
    const counted = transition.kind === "status" ? transition.to : transition.kind;
    if (counted === "firing" || counted === "resolved" || counted === "escalated" || counted === "renotify") this.counts[counted]++;
    const id = noticeId(transition);
    this.log(`[alerts] ${noticeHeadline(notice)}; runbook ${transition.runbook}; id ${id}`);
    return { id, done: this.deliver(notice) };
  }

  status(): NotifierStatus {
    return { notified: { ...this.counts }, ...(this.webhook ? { webhook: this.webhook.status() } : {}) };
  }

  private ruleOf(name: string): { rule?: AlertRule } {
    try {
      const rule = this.deps.rules().find((r) => r.name === name);
      return rule ? { rule } : {};
    } catch {
      return {};
    }
  }

  private async deliver(notice: AlertNotice): Promise<{ traceId?: string; delivery?: DeliveryResult }> {
    const trace = await this.representative(notice);
    const url = trace ? this.deps.traceUrl?.(trace.traceId) : undefined;
    const annotated = trace
      ? annotateAlert(notice, trace.traceId, {
          ...(this.deps.traceLog ? { traceLog: this.deps.traceLog } : {}),
          ...(this.deps.phoenix ? { phoenix: this.deps.phoenix } : {}),
          warn: this.warn,
          ...(this.deps.annotationRetryDelaysMs ? { retryDelaysMs: this.deps.annotationRetryDelaysMs } : {}),
        })
      : Promise.resolve();
    const body = webhookBody(this.deps.config.webhook?.format ?? "json", notice, {
      source: this.deps.config.sourceName ?? this.deps.defaultSource,
      ...(trace ? { trace: { traceId: trace.traceId, ...(url ? { url } : {}) } } : {}),
      sentAtMs: Date.now(),
    });
    const [delivery] = await Promise.all([this.webhook?.send(noticeId(notice.transition), body), annotated]);
    return { ...(trace ? { traceId: trace.traceId } : {}), ...(delivery ? { delivery } : {}) };
  }

  /** Never throws: a notification without a trace beats none. */
  private async representative(notice: AlertNotice): Promise<RequestFacts | undefined> {
    const window = windowOf(notice);
    if (!window || !this.deps.requests) return undefined;
    try {
      return representativeTrace(notice, await this.deps.requests(window.startMs, window.endMs));
    } catch (error) {
      this.warn(
        `[alerts] no representative trace for ${notice.transition.rule}: ${error instanceof Error ? error.message : String(error)}`,
      );
      return undefined;
    }
  }
}

const registry = globalThis as typeof globalThis & { __ragAlertNotifier?: AlertNotifier };

/**
 * The server's notifier over its tracing pipeline. On globalThis because the evaluator's
 * schedule (instrumentation) and GET /api/health are separate Next.js bundles and must share
 * one webhook's state.
 */
export function serverAlertNotifier(config: AppConfig, tracing: TracingPipeline): AlertNotifier {
  let rules: readonly AlertRule[] | undefined;
  const reader = new TraceLogReader(tracing.traceLog);
  registry.__ragAlertNotifier ??= new AlertNotifier({
    config: config.alertNotify,
    defaultSource: tracing.resourceAttributes["service.name"] ?? "rag-agent",
    rules: () => (rules ??= loadAlertRules(config.alerts.rulesPath)),
    requests: (since, until) => readRequests(reader, since, until),
    traceLog: tracing.traceLog,
    traceUrl: (id) => tracing.traceUrl(id),
    ...(tracing.phoenix ? { phoenix: tracing.phoenix } : {}),
  });
  return registry.__ragAlertNotifier;
}

/** The server's notifier status, once the evaluator started one (GET /api/health, admin view). */
export function alertNotifierStatus(): NotifierStatus | undefined {
  return registry.__ragAlertNotifier?.status();
}
