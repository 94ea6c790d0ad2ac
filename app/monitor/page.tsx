import type { Metadata } from "next";
import { cookies } from "next/headers";
import { forbidden, unauthorized } from "next/navigation";
import { getConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { ADMIN_COOKIE, requireAdminCookie } from "@/lib/http/admin-cookie";
import { appMonitorSources, monitorSnapshot } from "@/lib/monitoring/monitor-snapshot";
import { parseMonitorQuery } from "@/lib/monitoring/monitor-query";
import { activeTracing } from "@/lib/telemetry/tracing-registry";
import { AlertsPanel } from "./_components/alerts-panel";
import { CostTables } from "./_components/cost-tables";
import { MonitorCharts } from "./_components/monitor-charts";
import { MonitorControls } from "./_components/monitor-controls";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Monitor: ACME Assistant" };

type SearchParams = Record<string, string | string[] | undefined>;

/** Production monitoring from the trace log; 401 without the admin cookie, 403 with a wrong one. */
export default async function MonitorPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const config = getConfig();
  try {
    requireAdminCookie((await cookies()).get(ADMIN_COOKIE)?.value, config.curation.adminToken);
  } catch (error) {
    if (error instanceof AppError && error.code === "unauthorized") unauthorized();
    forbidden();
  }
  let snapshot;
  try {
    snapshot = await monitorSnapshot(appMonitorSources(config, activeTracing()), parseMonitorQuery(await searchParams));
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return (
      <main className="page monitor-page">
        <h1>Monitor</h1>
        <p className="error" role="alert">
          {error.code}: {error.message}
        </p>
        <a href="/monitor">Back to the last 24 hours</a>
      </main>
    );
  }
  const range = `${new Date(snapshot.range.fromMs).toISOString()} – ${new Date(snapshot.range.toMs).toISOString()}`;
  return (
    <main className="page monitor-page">
      <header className="page-header">
        <h1>Monitor</h1>
        <p>
          {snapshot.requests} production requests, {range}, from the trace log. Click a point to list the traces behind it.
          {snapshot.phoenixUrl && (
            <>
              {" "}
              Overall latency percentiles, token counts, cost and errors per trace are on{" "}
              <a href={snapshot.phoenixUrl} target="_blank" rel="noreferrer">
                Phoenix&apos;s dashboard
              </a>
              ; this page adds the breakdowns by route, model, version and step, and the alert state.
            </>
          )}
        </p>
      </header>
      <MonitorControls query={snapshot.query} />
      <MonitorCharts charts={snapshot.charts} traces={snapshot.traces} bucketMs={snapshot.range.bucketMs} />
      <CostTables costs={snapshot.costs} />
      <AlertsPanel alerts={snapshot.alerts} />
      <form method="post" action="/api/admin/session" className="monitor-signout">
        <input type="hidden" name="token" value="" />
        <button type="submit">Sign out</button>
      </form>
    </main>
  );
}
