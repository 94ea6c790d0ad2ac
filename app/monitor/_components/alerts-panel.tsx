import type { AlertOverview } from "@/lib/monitoring/monitor-alerts";
import { httpUrlOrUndefined } from "@/lib/report/html-escape";

const at = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** The alert rules with the state the evaluator keeps in the trace log, and the window's transitions. */
export function AlertsPanel({ alerts }: { alerts: AlertOverview }) {
  return (
    <section className="monitor-section" aria-label="Alerts">
      <h2>Alerts</h2>
      {alerts.rulesError && (
        <p className="error" role="alert">
          {alerts.rulesError}
        </p>
      )}
      <table className="monitor-table">
        <thead>
          <tr>
            <th>rule</th>
            <th>metric</th>
            <th>severity</th>
            <th>group: state</th>
          </tr>
        </thead>
        <tbody>
          {alerts.rules.map((r) => (
            <tr key={r.name} data-rule={r.name}>
              <td>
                {/* A runbook may be a page of this repository (README.md#…): only a web URL is a link here. */}
                {httpUrlOrUndefined(r.runbook) ? <a href={httpUrlOrUndefined(r.runbook)}>{r.name}</a> : r.name}
                {r.runbook && !httpUrlOrUndefined(r.runbook) && <span className="monitor-note"> (runbook: {r.runbook})</span>}
                {r.removed && " (no longer in the rules file)"}
              </td>
              <td>
                <code>{r.metric ? `${r.metric} ${r.aggregation ?? ""}` : "–"}</code>
              </td>
              <td>{r.severity ?? "–"}</td>
              <td>
                {r.groups.length === 0
                  ? "not evaluated yet"
                  : r.groups.map((g) => (
                      <div key={g.group} className={`alert-state alert-${g.status}`}>
                        {g.group}: {g.status}
                        {g.level ? ` (${g.level})` : ""} since {at(g.sinceMs)}
                        {g.lastValue !== null ? `, last ${Number(g.lastValue.toPrecision(4))}` : ""}
                      </div>
                    ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>History in this window</h3>
      {alerts.history.length === 0 ? (
        <p className="monitor-empty">No alert changed state in this window.</p>
      ) : (
        <table className="monitor-table">
          <thead>
            <tr>
              <th>at</th>
              <th>rule</th>
              <th>group</th>
              <th>change</th>
              <th>detail</th>
            </tr>
          </thead>
          <tbody>
            {alerts.history.map((t) => (
              <tr key={`${t.rule}|${t.groupKey}|${t.atMs}|${t.kind}`}>
                <td>{at(t.atMs)}</td>
                <td>{t.rule}</td>
                <td>{t.groupKey}</td>
                <td>
                  {t.from} → {t.to}
                  {t.kind === "status" ? "" : ` (${t.kind})`}
                  {t.level ? `, ${t.level}` : ""}
                </td>
                <td>{t.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
