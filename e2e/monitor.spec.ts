import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect, test } from "@playwright/test";
import type { MonitorSnapshot } from "../lib/monitoring/monitor-snapshot";
import { E2E_ADMIN_TOKEN } from "../test-support/server/e2e-server-settings";

// /monitor on the production build, with traffic played against it first: the charts carry
// data points drawn by the chart library, a point leads to its traces, and neither the page
// nor its API opens without the admin token.

const tsx = path.resolve("node_modules", ".bin", "tsx");
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

test("the page and its API answer 401 without the admin token and 403 with a wrong one", async ({ request }) => {
  expect((await request.get("/monitor")).status()).toBe(401);
  expect((await request.get("/monitor", { headers: { cookie: "admin_token=not-the-admin-token-0000" } })).status()).toBe(403);
  expect((await request.get("/api/monitor")).status()).toBe(401);
  expect((await request.get("/api/monitor", { headers: bearer("not-the-admin-token-0000") })).status()).toBe(403);
  const bad = await request.get("/api/monitor?window=2h", { headers: bearer(E2E_ADMIN_TOKEN) });
  expect(bad.status()).toBe(400);
  expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("bad_request");
});

test("after traffic, the charts hold data points and a point links to its traces", async ({ page, request, baseURL }) => {
  test.setTimeout(600_000);
  const traffic = spawnSync(tsx, ["scripts/traffic.ts", "--url", baseURL!, "--sessions", "2", "--seed", "11"], {
    encoding: "utf8",
    timeout: 420_000,
  });
  expect(traffic.status, `${traffic.stdout}\n${traffic.stderr}`.slice(-3000)).toBe(0);

  // Spans reach the trace log in batches: wait until the traffic's requests are there.
  let snapshot: MonitorSnapshot | undefined;
  await expect
    .poll(
      async () => {
        const response = await request.get("/api/monitor?window=1h&groupBy=route", { headers: bearer(E2E_ADMIN_TOKEN) });
        snapshot = (await response.json()) as MonitorSnapshot;
        return snapshot.requests;
      },
      { timeout: 60_000, intervals: [1_000, 2_000, 5_000] },
    )
    .toBeGreaterThanOrEqual(2);

  const signIn = await page.goto("/monitor?window=1h&groupBy=route");
  expect(signIn?.status()).toBe(401);
  await page.getByLabel("Admin token").fill(E2E_ADMIN_TOKEN);
  await page.getByRole("button", { name: "Open monitor" }).click();
  await expect(page.getByRole("heading", { name: "Monitor", exact: true })).toBeVisible();
  await page.goto("/monitor?window=1h&groupBy=route");

  // Each chart says how many points it has; the chart library must draw exactly that many dots.
  for (const id of ["requests", "latency-p95", "step-latency", "prompt-tokens"]) {
    const chart = page.locator(`section[data-chart-id="${id}"]`);
    const points = Number(await chart.getAttribute("data-points"));
    expect(points, id).toBeGreaterThan(0);
    await expect(chart.locator(".recharts-line-dots circle")).toHaveCount(points);
  }
  const routes = snapshot!.charts.find((c) => c.id === "requests")!.series.map((s) => s.name);
  await expect(page.locator('section[data-chart-id="requests"] .recharts-legend-item-text')).toHaveText(routes);

  await page.locator('section[data-chart-id="requests"] .recharts-line-dots circle').last().click();
  const listed = page.locator('section[aria-label="Traces behind the point"] li[data-trace-id]');
  await expect(listed.first()).toBeVisible();
  const known = Object.values(snapshot!.traces).flatMap((groups) =>
    Object.values(groups)
      .flat()
      .map((t) => t.traceId),
  );
  expect(known).toContain(await listed.first().getAttribute("data-trace-id"));

  await expect(page.getByRole("table", { name: "By route" })).toContainText(routes[0]!);
  await expect(page.getByRole("region", { name: "Alerts" })).toBeVisible();

  await page.getByLabel("Group by").selectOption("app_version");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/groupBy=app_version/);
  await expect(page.locator('section[data-chart-id="requests"] .recharts-legend-item-text').first()).toHaveText(/\d+\.\d+\.\d+/);
});
