import { CANDIDATE_REASONS } from "@/lib/curation/review-queue";
import type { CurateReport } from "./curate";

/** The summary `npm run curate` prints: what was read, what was proposed and why, where it went. */
export function formatCurateReport(report: CurateReport, options: { dryRun?: boolean } = {}): string {
  const ex = report.excluded;
  const excluded = [
    ex.eval_run && `${ex.eval_run} eval runs`,
    ex.model_bench && `${ex.model_bench} model benchmarks`,
    ex.in_queue && `${ex.in_queue} already in the queue`,
    ex.in_production && `${ex.in_production} already in production.jsonl`,
    ex.not_agent && `${ex.not_agent} not agent turns`,
  ].filter(Boolean);
  const byReason = CANDIDATE_REASONS.filter((r) => report.byReason[r]).map((r) => `  ${r.padEnd(22)} ${report.byReason[r]}`);
  const byRoute = Object.entries(report.byRoute)
    .sort(([, a], [, b]) => b - a)
    .map(([route, n]) => `  ${route.padEnd(22)} ${n}`);
  const lines = [
    `Traces read: ${report.tracesRead}${report.truncated ? " (stopped at --scan; narrow the window or raise it)" : ""}`,
    `Left out: ${excluded.length ? excluded.join(", ") : "none"}`,
    `Examined: ${report.considered}; with a reason to review: ${report.withReason}`,
    `Dropped as near-duplicates: ${report.droppedAsDuplicates.ofDataset} of dataset items, ${report.droppedAsDuplicates.ofEachOther} of each other or of pending candidates`,
    ...(report.leftOut ? [`Over --max / --per-route: ${report.leftOut} (the weakest reasons)`] : []),
    `${options.dryRun ? "Would propose" : "Proposed"}: ${report.added.length} candidate${report.added.length === 1 ? "" : "s"}`,
    ...(byReason.length ? ["By reason (a candidate can have several):", ...byReason] : []),
    ...(byRoute.length ? ["By route:", ...byRoute] : []),
    `${options.dryRun ? "Dry run, left as it was" : "Review queue"}: ${report.queuePath} (${report.queueSize} candidate${report.queueSize === 1 ? "" : "s"} in all)`,
  ];
  return lines.join("\n");
}
