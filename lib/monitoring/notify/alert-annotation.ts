import { annotateWhenIngested } from "../../telemetry/annotate-when-ingested";
import type { PhoenixClient } from "../../telemetry/phoenix-client";
import type { TraceStore } from "../../telemetry/trace-log/trace-store";
import { noticeEvent, noticeId, windowOf, type AlertNotice } from "./alert-notice";

/** Alert annotations are named per rule, so Phoenix lists each rule's verdicts as a column of their own. */
export const alertAnnotationName = (ruleName: string) => `alert.${ruleName}`;

/** What the annotation says, in the shape the trace log and Phoenix share. */
function annotationOf(notice: AlertNotice) {
  const { transition: t, rule } = notice;
  const window = windowOf(notice);
  return {
    name: alertAnnotationName(t.rule),
    annotatorKind: "CODE" as const,
    label: t.to,
    ...(t.value !== null && Number.isFinite(t.value) ? { score: t.value } : {}),
    explanation:
      `${noticeEvent(t)}${rule ? ` ${rule.metric} ${rule.aggregation}` : ""} over ${t.groupKey === "*" ? "all requests" : t.groupKey}: ${t.detail}`.slice(
        0,
        2000,
      ),
    metadata: {
      notice_id: noticeId(t),
      rule: t.rule,
      group: t.groupKey,
      severity: t.severity,
      previous_state: t.from,
      ...(t.level ? { level: t.level } : {}),
      ...(window ? { window_start: new Date(window.startMs).toISOString() } : {}),
      window_end: new Date(t.atMs).toISOString(),
      runbook: t.runbook,
    },
  };
}

export interface AnnotationDeps {
  traceLog?: Pick<TraceStore, "addAnnotation">;
  phoenix?: Pick<PhoenixClient, "annotateSpans">;
  warn: (message: string) => void;
  retryDelaysMs?: readonly number[];
}

/**
 * Marks the representative trace of a transition: in the trace log at once (the app's own
 * tools read it), then on the trace's root span in Phoenix, retried while Phoenix has not
 * ingested the span. Resolves when Phoenix has it or was given up on; never rejects.
 */
export async function annotateAlert(notice: AlertNotice, traceId: string, deps: AnnotationDeps): Promise<void> {
  const annotation = annotationOf(notice);
  let spanId: string | undefined;
  try {
    spanId = (await deps.traceLog?.addAnnotation({ traceId, ...annotation }))?.spanId;
  } catch (error) {
    deps.warn(`[alerts] annotation not written to the trace log: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!deps.phoenix || !spanId) return;
  try {
    await annotateWhenIngested(deps.phoenix, [{ spanId, ...annotation, identifier: noticeId(notice.transition) }], deps.retryDelaysMs);
  } catch (error) {
    deps.warn(`[alerts] annotation not sent to Phoenix (kept in the trace log): ${error instanceof Error ? error.message : String(error)}`);
  }
}
