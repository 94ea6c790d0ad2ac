import { createHash } from "node:crypto";
import type { AlertTransition } from "../alert-evaluator";
import type { AlertRule } from "../alert-rules";

/**
 * What a notification is about: a transition the evaluator decided on the window ending at
 * `transition.atMs`, which the alert-state store let this process claim (so it is sent once
 * across processes and restarts), with its rule as the rules file defines it.
 */
export interface AlertNotice {
  transition: AlertTransition;
  /** Absent when the rule has left the rules file since. */
  rule?: AlertRule;
}

/** `alert.firing`, `alert.resolved`, `alert.escalated` (warning → alert) or `alert.renotify`. */
export function noticeEvent(t: AlertTransition): string {
  return t.kind === "status" ? `alert.${t.to}` : `alert.${t.kind}`;
}

/** A stable id per transition: every retry of its delivery, and its annotation, carry it. */
export function noticeId(t: AlertTransition): string {
  const key = [t.rule, t.groupKey, t.kind, t.to, t.atMs].join("\u0000");
  return `alrt_${createHash("sha256").update(key).digest("hex").slice(0, 24)}`;
}

export function windowOf(notice: AlertNotice): { startMs: number; endMs: number } | undefined {
  return notice.rule ? { startMs: notice.transition.atMs - notice.rule.window, endMs: notice.transition.atMs } : undefined;
}

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(3));

/** `FIRING p95-latency-spike [route=kb] (warning, alert): request_latency_ms p95 = 2300 (…, n=40)`: the log line's and Slack's head. */
export function noticeHeadline({ transition: t, rule }: AlertNotice): string {
  const what = t.kind === "status" ? t.to.toUpperCase() : `${t.kind.toUpperCase()} (${t.to})`;
  const group = t.groupKey === "*" ? "" : ` [${t.groupKey}]`;
  const measured = rule ? ` ${rule.metric} ${rule.aggregation}${t.value === null ? "" : ` = ${fmt(t.value)}`}` : "";
  return `${what} ${t.rule}${group} (${t.severity}${t.level ? `, ${t.level}` : ""}):${measured} (${t.detail}, n=${t.n})`;
}
