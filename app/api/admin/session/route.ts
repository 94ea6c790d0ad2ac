import { z } from "zod";
import { adminCookieHeader } from "@/lib/http/admin-cookie";
import { errorResponse } from "@/lib/http/responses";
import { AppError } from "@/lib/errors";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const formSchema = z.object({ token: z.string().max(512).default("") });

/**
 * The sign-in form of /monitor: keeps the typed admin token in a cookie (an empty one signs out)
 * and goes back to /monitor, which checks it and answers 403 when it is wrong.
 */
export async function POST(request: Request): Promise<Response> {
  try {
    const form = await request.formData().catch(() => {
      throw new AppError("invalid_body", "Send the sign-in form (application/x-www-form-urlencoded)");
    });
    const parsed = formSchema.safeParse({ token: form.get("token") ?? undefined });
    if (!parsed.success) throw new AppError("invalid_body", "token: at most 512 characters");
    const url = new URL(request.url);
    return new Response(null, {
      status: 303,
      headers: {
        location: "/monitor",
        "set-cookie": adminCookieHeader(parsed.data.token.trim(), url.protocol === "https:"),
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
