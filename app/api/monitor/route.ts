import { asAdmin } from "@/app/api/admin-route";
import { appMonitorSources, monitorSnapshot } from "@/lib/monitoring/monitor-snapshot";
import { parseMonitorQuery } from "@/lib/monitoring/monitor-query";
import { activeTracing } from "@/lib/telemetry/tracing-registry";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** What /monitor shows, as JSON: `?window=1h|24h|7d|custom&from=&to=&groupBy=none|route|model|app_version|prompt_version`. */
export function GET(request: Request): Promise<Response> {
  return asAdmin(request, async (config) => {
    const query = parseMonitorQuery(Object.fromEntries(new URL(request.url).searchParams));
    const snapshot = await monitorSnapshot(appMonitorSources(config, activeTracing()), query);
    return Response.json(snapshot, { headers: { "cache-control": "no-store" } });
  });
}
