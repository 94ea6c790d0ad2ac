import { z } from "zod";
import { adminCookieHeader } from "@/lib/http/admin-cookie";
import { errorResponse } from "@/lib/http/responses";
import { readFormBody } from "@/lib/http/read-form-body";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const formSchema = z.object({ token: z.string().max(512).default("") });

/**
 * The sign-in form of /monitor: keeps the typed admin token in a cookie (an empty one signs out)
 * and goes back to /monitor, which checks it and answers 403 when it is wrong.
 */
export async function POST(request: Request): Promise<Response> {
  try {
    // Read within a small cap: request.formData() would wait for whatever Content-Length claims.
    const form = await readFormBody(request, formSchema);
    const url = new URL(request.url);
    return new Response(null, {
      status: 303,
      headers: {
        location: "/monitor",
        "set-cookie": adminCookieHeader(form.token.trim(), url.protocol === "https:"),
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
