import { formatDuration } from "./duration";
import type { RuleReplay } from "./replay";

/** Terminal tables for `npm run alerts`: a backtest's firing episodes, or the current state. */

function table(header: readonly string[], rows: readonly string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

const at = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace(/:\d\d\.\d{3}Z$/, "Z")
    .replace("T", " ");
const num = (x: number | null | undefined) =>
  x === null || x === undefined ? "-" : Math.abs(x) >= 100 ? x.toFixed(0) : Number(x.toPrecision(3)).toString();

export interface FiringEpisode {
  rule: string;
  group: string;
  level: string;
  firedAtMs: number;
  resolvedAtMs?: number;
  value: number | null;
  detail: string;
}

/** Each firing paired with the resolve that ended it (none: still firing at the end). */
export function firingEpisodes(replays: readonly RuleReplay[]): FiringEpisode[] {
  const episodes: FiringEpisode[] = [];
  for (const { transitions } of replays) {
    const open = new Map<string, FiringEpisode>();
    for (const t of transitions) {
      if (t.to === "firing" && t.kind === "status") {
        const episode: FiringEpisode = {
          rule: t.rule,
          group: t.groupKey,
          level: t.level ?? "alert",
          firedAtMs: t.atMs,
          value: t.value,
          detail: t.detail,
        };
        open.set(t.groupKey, episode);
        episodes.push(episode);
      } else if (t.kind === "escalated") {
        const episode = open.get(t.groupKey);
        if (episode) episode.level = "alert";
      } else if (t.to === "resolved") {
        const episode = open.get(t.groupKey);
        if (episode) episode.resolvedAtMs = t.atMs;
        open.delete(t.groupKey);
      }
    }
  }
  return episodes.sort((a, b) => a.firedAtMs - b.firedAtMs);
}

export function formatBacktest(replays: readonly RuleReplay[]): string {
  const summary = table(
    ["rule", "metric", "window", "windows", "fired", "severity"],
    replays.map((r) => [
      r.rule.name,
      `${r.rule.metric} ${r.rule.aggregation}`,
      formatDuration(r.rule.window),
      String(r.windows),
      String(r.transitions.filter((t) => t.to === "firing" && t.kind === "status").length),
      r.rule.severity,
    ]),
  );
  const episodes = firingEpisodes(replays);
  if (episodes.length === 0) return `${summary}\n\nNo rule would have fired.`;
  const timeline = table(
    ["rule", "group", "level", "fired (window end)", "resolved", "lasted", "value", "why"],
    episodes.map((e) => [
      e.rule,
      e.group,
      e.level,
      at(e.firedAtMs),
      e.resolvedAtMs === undefined ? "still firing" : at(e.resolvedAtMs),
      e.resolvedAtMs === undefined ? "-" : formatDuration(e.resolvedAtMs - e.firedAtMs),
      num(e.value),
      e.detail,
    ]),
  );
  return `${summary}\n\n${timeline}`;
}

export function formatCurrentState(replays: readonly RuleReplay[]): string {
  const rows = replays.flatMap((r) =>
    r.states.map((s) => {
      const outcome = r.lastOutcomes.get(s.groupKey);
      return [r.rule.name, s.groupKey, s.status, s.level ?? "-", at(s.sinceMs), num(outcome?.value ?? s.lastValue), outcome?.detail ?? "-"];
    }),
  );
  return table(["rule", "group", "status", "level", "since", "value", "last window"], rows);
}
