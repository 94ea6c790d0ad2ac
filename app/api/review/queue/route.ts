import { appReviewStore } from "@/lib/curation/app-review";
import { listForReview } from "@/lib/curation/review-service";
import { activeTracing } from "@/lib/telemetry/tracing-registry";
import { asAdmin } from "@/app/api/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** What waits for review: pending production candidates and unreviewed synthetic examples. */
export function GET(request: Request): Promise<Response> {
  return asAdmin(request, async (config) =>
    Response.json(await listForReview(appReviewStore(config, activeTracing())), { headers: { "cache-control": "no-store" } }),
  );
}
