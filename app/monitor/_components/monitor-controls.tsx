import { MONITOR_GROUPS, MONITOR_WINDOWS, type MonitorQuery } from "@/lib/monitoring/monitor-query";

const GROUP_LABEL: Record<(typeof MONITOR_GROUPS)[number], string> = {
  none: "nothing (all traffic)",
  route: "route",
  model: "model",
  app_version: "app version",
  prompt_version: "prompt version",
};

/** `datetime-local` wants `YYYY-MM-DDTHH:mm` (UTC here, as the charts' times are). */
const localInput = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString().slice(0, 16));

/** Window and group-by as a GET form: each choice is a URL, so a view can be bookmarked and shared. */
export function MonitorControls({ query }: { query: MonitorQuery }) {
  return (
    <form method="get" action="/monitor" className="monitor-controls">
      <label>
        Window{" "}
        <select name="window" defaultValue={query.window}>
          {MONITOR_WINDOWS.map((w) => (
            <option key={w} value={w}>
              {w === "custom" ? "custom (from/to, UTC)" : `last ${w}`}
            </option>
          ))}
        </select>
      </label>
      <label>
        From <input type="datetime-local" name="from" defaultValue={localInput(query.from)} />
      </label>
      <label>
        To <input type="datetime-local" name="to" defaultValue={localInput(query.to)} />
      </label>
      <label>
        Group by{" "}
        <select name="groupBy" defaultValue={query.groupBy}>
          {MONITOR_GROUPS.map((g) => (
            <option key={g} value={g}>
              {GROUP_LABEL[g]}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">Show</button>
    </form>
  );
}
