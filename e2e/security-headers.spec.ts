import { expect, type Page, test } from "@playwright/test";
import { E2E_ADMIN_TOKEN, E2E_TRACE_LOG } from "../test-support/server/e2e-server-settings";

// Every page and API response of the production build carries the security headers, and the
// Content-Security-Policy they set does not break the app: the pages hydrate with no violation.
// Health tells anyone whether the app is ready, and only the admin where its files live.

const REQUIRED = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
};

function expectHardened(headers: Record<string, string>, what: string): void {
  expect(headers, what).toMatchObject(REQUIRED);
  expect(headers["content-security-policy"], what).toContain("frame-ancestors 'none'");
}

/** Collects the page's CSP violations from the moment it loads. */
async function recordViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}

test("pages and API routes carry the security headers", async ({ request }) => {
  for (const url of ["/", "/review", "/api/health"]) {
    const response = await request.get(url);
    expectHardened(response.headers(), url);
  }
  // An error response too: the headers come from the server, not from the handler that answered.
  const bad = await request.post("/api/chat", { data: { message: "" } });
  expect(bad.status()).toBe(400);
  expectHardened(bad.headers(), "POST /api/chat (400)");
});

test("the chat page hydrates under the policy with no violation", async ({ page }) => {
  const violations = await recordViolations(page);
  await page.goto("/");
  // Send turns enabled on typing only once React has hydrated, which needs the inline scripts the policy allows.
  const send = page.getByRole("button", { name: "Send" });
  await expect(send).toBeDisabled();
  const box = page.getByRole("textbox", { name: "Message" });
  // Typing before hydration is lost on React's first render: type again until it takes.
  await expect(async () => {
    await box.fill("");
    await box.fill("hello");
    await expect(send).toBeEnabled({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  expect(await violations()).toEqual([]);
});

test("health names no path or endpoint unless the admin asks", async ({ request }) => {
  const open = await request.get("/api/health");
  expect(open.status()).toBe(200);
  const text = await open.text();
  expect(text).not.toContain(process.cwd());
  expect(text).not.toContain(E2E_TRACE_LOG);
  expect(JSON.parse(text)).toMatchObject({ ready: true, tracing: { enabled: true, logWrites: { dropped: 0 } } });

  const admin = await request.get("/api/health", { headers: { authorization: `Bearer ${E2E_ADMIN_TOKEN}` } });
  expect(await admin.json()).toMatchObject({ tracing: { enabled: true, log: E2E_TRACE_LOG } });
  const wrong = await request.get("/api/health", { headers: { authorization: "Bearer not-the-admin-token-0000" } });
  expect(wrong.status()).toBe(403);
});
