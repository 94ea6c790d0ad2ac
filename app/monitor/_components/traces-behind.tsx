import { useEffect, useRef } from "react";
import type { PointTrace } from "@/lib/monitoring/monitor-charts";

/** The traces behind a clicked point: failed first, then the slowest, per group. */
export function TracesBehind({
  bucketStartMs,
  bucketMs,
  groups,
  onClose,
}: {
  bucketStartMs: number;
  bucketMs: number;
  groups: Record<string, PointTrace[]>;
  onClose: () => void;
}) {
  const from = new Date(bucketStartMs).toISOString();
  const to = new Date(bucketStartMs + bucketMs).toISOString();
  const entries = Object.entries(groups);
  const panel = useRef<HTMLElement>(null);
  // The clicked chart may be far below the panel: bring the list into view.
  useEffect(() => panel.current?.scrollIntoView({ block: "nearest" }), [bucketStartMs]);
  return (
    <section ref={panel} className="monitor-traces" aria-label="Traces behind the point">
      <h2>
        Traces {from} – {to}{" "}
        <button type="button" onClick={onClose}>
          Close
        </button>
      </h2>
      {entries.length === 0 && <p>No requests in this bucket.</p>}
      {entries.map(([group, traces]) => (
        <div key={group}>
          <h3>{group}</h3>
          <ul>
            {traces.map((t) => (
              <li key={t.traceId} data-trace-id={t.traceId}>
                {t.url ? (
                  <a href={t.url} target="_blank" rel="noreferrer">
                    {t.traceId}
                  </a>
                ) : (
                  <code>{t.traceId}</code>
                )}{" "}
                {t.latencyMs} ms{t.failed ? " · failed" : ""}
              </li>
            ))}
          </ul>
        </div>
      ))}
      <p className="monitor-note">
        {entries.length > 0 &&
          !entries.some(([, ts]) => ts.some((t) => t.url)) &&
          "Phoenix export is off (PHOENIX_EXPORT): the trace ids are in the trace log."}
      </p>
    </section>
  );
}
