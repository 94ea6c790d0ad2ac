import { getConfig } from "@/lib/config";
import { appReviewStore, mirrorProductionToPhoenix } from "@/lib/curation/app-review";
import { reviewDecisionSchema } from "@/lib/curation/review-decision";
import { applyDecision } from "@/lib/curation/review-service";
import { requireAdmin } from "@/lib/http/admin-auth";
import { readJsonBody } from "@/lib/http/read-json-body";
import { errorResponse } from "@/lib/http/responses";
import { activeTracing } from "@/lib/telemetry/tracing-registry";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Accepts (into the dataset) or rejects one candidate or synthetic example. */
export async function POST(request: Request): Promise<Response> {
  try {
    const config = getConfig();
    requireAdmin(request.headers.get("authorization"), config.curation.adminToken);
    const decision = await readJsonBody(request, reviewDecisionSchema);
    const tracing = activeTracing();
    const result = await applyDecision(appReviewStore(config, tracing), decision);
    if (result.production && tracing) void mirrorProductionToPhoenix(result.production, config, tracing);
    const { production: _all, ...body } = result;
    return Response.json(body, { status: result.decision === "accepted" ? 201 : 200 });
  } catch (error) {
    return errorResponse(error);
  }
}
