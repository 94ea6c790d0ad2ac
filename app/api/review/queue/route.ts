import { getConfig } from "@/lib/config";
import { appReviewStore } from "@/lib/curation/app-review";
import { listForReview } from "@/lib/curation/review-service";
import { requireAdmin } from "@/lib/http/admin-auth";
import { errorResponse } from "@/lib/http/responses";
import { activeTracing } from "@/lib/telemetry/tracing-registry";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** What waits for review: pending production candidates and unreviewed synthetic examples. */
export async function GET(request: Request): Promise<Response> {
  try {
    const config = getConfig();
    requireAdmin(request.headers.get("authorization"), config.curation.adminToken);
    const listing = listForReview(appReviewStore(config, activeTracing()));
    return Response.json(listing, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return errorResponse(error);
  }
}
