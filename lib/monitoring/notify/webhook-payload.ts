import { noticeEvent, noticeHeadline, noticeId, windowOf, type AlertNotice } from "./alert-notice";

/**
 * The bodies a webhook receives (documented in the README's Monitoring section): the app's own
 * JSON, versioned, snake_case; or a Slack incoming-webhook message (`text` for notifications
 * and clients without blocks, `blocks` for the channel).
 */

export interface NoticeContext {
  /** The deployment that sends it (ALERT_SOURCE_NAME or the service name). */
  source: string;
  /** The representative trace of the window, when there was one. */
  trace?: { traceId: string; url?: string };
  sentAtMs: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function jsonPayload(notice: AlertNotice, context: NoticeContext) {
  const { transition: t, rule } = notice;
  const window = windowOf(notice);
  return {
    version: 1,
    id: noticeId(t),
    event: noticeEvent(t),
    state: t.to,
    previous_state: t.from,
    source: context.source,
    rule: {
      name: t.rule,
      severity: t.severity,
      runbook: t.runbook,
      ...(rule
        ? {
            ...(rule.description ? { description: rule.description } : {}),
            metric: rule.metric,
            aggregation: rule.aggregation,
            window_ms: rule.window,
          }
        : {}),
    },
    group: t.groupKey,
    level: t.level,
    value: t.value,
    ...(t.baselineValue !== undefined ? { baseline_value: t.baselineValue } : {}),
    samples: t.n,
    detail: t.detail,
    window: window ? { start: iso(window.startMs), end: iso(window.endMs) } : { end: iso(t.atMs) },
    ...(context.trace ? { trace: { trace_id: context.trace.traceId, ...(context.trace.url ? { url: context.trace.url } : {}) } } : {}),
    sent_at: iso(context.sentAtMs),
  };
}

/** Slack's mrkdwn treats these three as markup. */
const escapeSlack = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const isHttp = (url: string) => /^https?:\/\//.test(url);

export function slackPayload(notice: AlertNotice, context: NoticeContext): { text: string; blocks: object[] } {
  const { transition: t } = notice;
  const icon = t.to !== "firing" ? ":large_green_circle:" : t.severity === "critical" ? ":red_circle:" : ":large_orange_circle:";
  const text = escapeSlack(`${icon} ${noticeHeadline(notice)}`);
  const window = windowOf(notice);
  const facts = [context.source, window ? `window ${iso(window.startMs)} – ${iso(window.endMs)}` : `at ${iso(t.atMs)}`];
  if (context.trace) facts.push(`trace ${context.trace.traceId}`);
  const links = [
    isHttp(t.runbook) ? `<${t.runbook}|Runbook>` : `Runbook: ${escapeSlack(t.runbook)}`,
    ...(context.trace?.url ? [`<${context.trace.url}|Representative trace>`] : []),
  ];
  return {
    text,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `*${text}*` } },
      { type: "context", elements: [{ type: "mrkdwn", text: escapeSlack(facts.join(" · ")) }] },
      { type: "section", text: { type: "mrkdwn", text: links.join(" · ") } },
    ],
  };
}

/** The body for the configured format, serialised once: the signature covers exactly these bytes. */
export function webhookBody(format: "json" | "slack", notice: AlertNotice, context: NoticeContext): string {
  return JSON.stringify(format === "slack" ? slackPayload(notice, context) : jsonPayload(notice, context));
}
