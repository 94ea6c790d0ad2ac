import { readiness } from "@/agents/runtime";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Liveness plus what is missing for a useful answer (models, index), without loading them. */
export async function GET(): Promise<Response> {
  const status = await readiness();
  return Response.json(status, { status: status.ready ? 200 : 503 });
}
