import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { AppError, type ErrorBody } from "@/lib/errors";
import { asAdmin } from "./admin-route";

const TOKEN = "admin-route-test-token-0123";
const request = (authorization?: string) =>
  new Request("http://127.0.0.1:3000/api/review/queue", authorization ? { headers: { authorization } } : {});

describe("asAdmin", () => {
  beforeAll(() => vi.stubEnv("ADMIN_TOKEN", TOKEN));
  afterAll(() => vi.unstubAllEnvs());

  it("refuses a missing or wrong token without running the handler", async () => {
    const handle = vi.fn(() => Response.json({}));
    const missing = await asAdmin(request(), handle);
    const wrong = await asAdmin(request("Bearer not-the-admin-token-000"), handle);
    expect([missing.status, ((await missing.json()) as ErrorBody).error.code]).toEqual([401, "unauthorized"]);
    expect([wrong.status, ((await wrong.json()) as ErrorBody).error.code]).toEqual([403, "forbidden"]);
    expect(handle).not.toHaveBeenCalled();
  });

  it("runs the handler with the config for the admin, and turns its errors into the JSON error response", async () => {
    const ok = await asAdmin(request(`Bearer ${TOKEN}`), (config) => Response.json({ token: config.curation.adminToken }));
    expect(await ok.json()).toEqual({ token: TOKEN });
    const failed = await asAdmin(request(`Bearer ${TOKEN}`), () => Promise.reject(new AppError("invalid_body", "decision: required")));
    expect(failed.status).toBe(400);
    expect(await failed.json()).toEqual({ error: { code: "invalid_body", message: "decision: required" } });
  });
});
