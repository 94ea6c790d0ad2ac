import { appReviewStore, mirrorProductionToPhoenix } from "@/lib/curation/app-review";
import { ROUTES } from "@/agents/routes/registry";
import { reviewDecisionSchemaFor } from "@/lib/curation/review-decision";
import { applyDecision } from "@/lib/curation/review-service";
import { readJsonBody } from "@/lib/http/read-json-body";
import { activeTracing } from "@/lib/telemetry/tracing-registry";
import { asAdmin } from "@/app/api/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const decisionSchema = reviewDecisionSchemaFor(ROUTES);

/** Accepts (into the dataset) or rejects one candidate or synthetic example. */
export function POST(request: Request): Promise<Response> {
  return asAdmin(request, async (config) => {
    const decision = await readJsonBody(request, decisionSchema);
    const tracing = activeTracing();
    const result = await applyDecision(appReviewStore(config, tracing), decision);
    if (result.production && tracing) void mirrorProductionToPhoenix(result.production, config, tracing);
    const { production: _all, ...body } = result;
    return Response.json(body, { status: result.decision === "accepted" ? 201 : 200 });
  });
}
