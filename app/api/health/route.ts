import { readiness } from "@/agents/runtime";
import { asAdmin } from "@/app/api/admin-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

function healthResponse(status: Awaited<ReturnType<typeof readiness>>): Response {
  return Response.json(status, { status: status.ready ? 200 : 503, headers: { "cache-control": "no-store" } });
}

/**
 * Liveness plus what is missing for a useful answer (models, index), without loading them.
 * With the admin's bearer token it also says where things live (Phoenix endpoint, trace log).
 */
export async function GET(request: Request): Promise<Response> {
  if (request.headers.has("authorization")) return asAdmin(request, async () => healthResponse(await readiness({ detailed: true })));
  return healthResponse(await readiness({ detailed: false }));
}
