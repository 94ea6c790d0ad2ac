import { serveMetrics } from "@/lib/telemetry/metrics/metrics-endpoint";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The OpenTelemetry metrics in Prometheus text format (who may read them: lib/telemetry/metrics/metrics-endpoint.ts). */
export function GET(request: Request): Promise<Response> {
  return serveMetrics(request);
}
