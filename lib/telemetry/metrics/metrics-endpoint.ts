import { getConfig, type AppConfig } from "../../config";
import { AppError } from "../../errors";
import { requireAdmin } from "../../http/admin-auth";
import { errorResponse } from "../../http/responses";
import { activeTracing } from "../tracing-registry";
import { PROMETHEUS_CONTENT_TYPE } from "./metrics-pipeline";

/**
 * `GET /api/metrics`: the metrics in Prometheus text format. With ADMIN_TOKEN configured it
 * needs `Authorization: Bearer <ADMIN_TOKEN>` (Prometheus: `authorization.credentials` in the
 * scrape config), like the other admin endpoints; without one it is open, as a local
 * Prometheus needs it on a fresh `npm start`. Open is safe there because the metrics carry no
 * user data by construction (bounded attribute values, no ids, no text), unlike /review.
 */
export async function serveMetrics(request: Request, config: () => AppConfig = getConfig): Promise<Response> {
  try {
    const { adminToken } = config().curation;
    if (adminToken) requireAdmin(request.headers.get("authorization"), adminToken);
    const metrics = activeTracing()?.metrics;
    if (!metrics) {
      throw new AppError("tracing_off", "Metrics are off: they are derived from the traces, so they need TRACING=on and METRICS=on");
    }
    return new Response(await metrics.prometheusText(), {
      headers: { "content-type": PROMETHEUS_CONTENT_TYPE, "cache-control": "no-store" },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
