"use client";

import { useState } from "react";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis, type DotItemDotProps } from "recharts";
import { formatValue } from "@/lib/monitoring/compare-format";
import type { MonitorChart, PointTrace } from "@/lib/monitoring/monitor-charts";
import { TracesBehind } from "./traces-behind";

const COLORS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#4b5563", "#ca8a04"];

const tick = (bucketMs: number) => (t: number) => {
  const iso = new Date(t).toISOString();
  return bucketMs >= 86_400_000
    ? iso.slice(5, 10)
    : bucketMs >= 3 * 3_600_000
      ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}`
      : iso.slice(11, 16);
};

/** Axis ticks stay short: `2.5k`, `12%`, `$0.013`. */
function axisTick(unit: string): (value: number) => string {
  if (unit === "ratio") return (v) => `${Number((v * 100).toPrecision(2))}%`;
  if (unit === "USD") return (v) => `$${Number(v.toPrecision(2))}`;
  return (v) => (Math.abs(v) >= 1000 ? `${Number((v / 1000).toPrecision(3))}k` : String(Number(v.toPrecision(3))));
}

/** Rates never go below 0 or above 100 %; an all-zero rate still gets a visible scale. */
const domainFor = (unit: string): [number, "auto" | ((max: number) => number)] =>
  unit === "ratio" ? [0, (max: number) => (max > 0 ? Math.min(1, max * 1.2) : 0.1)] : [0, "auto"];

/** Each point is a button: clicking it (or Enter) lists the traces of its time bucket. */
function clickableDot(color: string, onSelect: (t: number) => void) {
  function ClickableDot({ cx, cy, payload, index, dataKey }: DotItemDotProps) {
    const t = (payload as { t?: unknown } | undefined)?.t;
    if (typeof cx !== "number" || typeof cy !== "number" || typeof t !== "number") return <g key={`${String(dataKey)}-${index}`} />;
    const select = () => onSelect(t);
    return (
      <circle
        key={`${String(dataKey)}-${index}`}
        className="recharts-dot recharts-line-dot monitor-point"
        cx={cx}
        cy={cy}
        r={3.5}
        stroke={color}
        fill="#fff"
        strokeWidth={1.5}
        data-t={t}
        onClick={select}
      />
    );
  }
  return ClickableDot;
}

function ChartCard({ chart, bucketMs, onSelect }: { chart: MonitorChart; bucketMs: number; onSelect: (t: number) => void }) {
  const names = new Map(chart.series.map((s) => [s.key, s.name]));
  return (
    <section className="monitor-chart" data-chart-id={chart.id} data-points={chart.points} aria-label={chart.title}>
      <h3>
        {chart.title} <span className="monitor-unit">({chart.unit})</span>
      </h3>
      {chart.points === 0 ? (
        <p className="monitor-empty">No data in this window.</p>
      ) : (
        <ResponsiveContainer width="100%" height={220}>
          <LineChart data={chart.rows}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="t" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={tick(bucketMs)} />
            <YAxis width={48} domain={domainFor(chart.unit)} tickFormatter={axisTick(chart.unit)} />
            <Tooltip
              labelFormatter={(t) => new Date(Number(t)).toISOString()}
              formatter={(value, key) => [formatValue(chart.unit, Number(value)), names.get(String(key)) ?? String(key)]}
            />
            <Legend formatter={(key) => names.get(String(key)) ?? String(key)} />
            {chart.series.map((s, i) => (
              <Line
                key={s.key}
                dataKey={s.key}
                name={s.key}
                stroke={COLORS[i % COLORS.length]}
                dot={clickableDot(COLORS[i % COLORS.length]!, onSelect)}
                activeDot={false}
                isAnimationActive={false}
                connectNulls={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      )}
      <p className="monitor-note">
        <code>
          {chart.metric} {chart.aggregation}
        </code>
        : {chart.description}
      </p>
    </section>
  );
}

/** The metric charts; clicking a point lists the traces of its time bucket. */
export function MonitorCharts({
  charts,
  traces,
  bucketMs,
}: {
  charts: MonitorChart[];
  traces: Record<string, Record<string, PointTrace[]>>;
  bucketMs: number;
}) {
  const [selected, setSelected] = useState<number | null>(null);
  return (
    <>
      {selected !== null && (
        <TracesBehind
          bucketStartMs={selected}
          bucketMs={bucketMs}
          groups={traces[String(selected)] ?? {}}
          onClose={() => setSelected(null)}
        />
      )}
      <div className="monitor-grid">
        {charts.map((chart) => (
          <ChartCard key={chart.id} chart={chart} bucketMs={bucketMs} onSelect={setSelected} />
        ))}
      </div>
    </>
  );
}
