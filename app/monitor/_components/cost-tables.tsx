import { formatValue } from "@/lib/monitoring/compare-format";
import type { CostBreakdown, CostRow } from "@/lib/monitoring/monitor-costs";

function CostTable({ title, unit, rows }: { title: string; unit: string; rows: CostRow[] }) {
  return (
    <table className="monitor-table" aria-label={title}>
      <caption>{title}</caption>
      <thead>
        <tr>
          <th></th>
          <th>{unit}</th>
          <th>cost</th>
          <th>tokens in / out</th>
          <th>unpriced</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <td>
              <code>{r.key}</code>
            </td>
            <td className="num">{r.count}</td>
            <td className="num">{formatValue("USD", r.costUsd)}</td>
            <td className="num">
              {r.promptTokens} / {r.completionTokens}
            </td>
            <td className="num">{r.unpriced}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Where the money goes in the window: by route, by model, by agent step. */
export function CostTables({ costs }: { costs: CostBreakdown }) {
  return (
    <section className="monitor-section" aria-label="Cost breakdown">
      <h2>Cost breakdown</h2>
      <div className="monitor-tables">
        <CostTable title="By route" unit="requests" rows={costs.byRoute} />
        <CostTable title="By model" unit="requests" rows={costs.byModel} />
        {costs.byStep && <CostTable title="By step (LLM calls)" unit="calls" rows={costs.byStep} />}
      </div>
    </section>
  );
}
