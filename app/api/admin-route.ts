import { getConfig, type AppConfig } from "@/lib/config";
import { requireAdmin } from "@/lib/http/admin-auth";
import { errorResponse } from "@/lib/http/responses";

/**
 * Admin-only routes (the review API, detailed health) run `handle` once the bearer token
 * matches ADMIN_TOKEN, and any failure becomes the JSON error response.
 */
export async function asAdmin(request: Request, handle: (config: AppConfig) => Response | Promise<Response>): Promise<Response> {
  try {
    const config = getConfig();
    requireAdmin(request.headers.get("authorization"), config.curation.adminToken);
    return await handle(config);
  } catch (error) {
    return errorResponse(error);
  }
}
