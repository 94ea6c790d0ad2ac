import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { type APIResponse, expect, test } from "@playwright/test";
import { readReviewQueue } from "../lib/curation/review-queue";
import { readTraceExport } from "../lib/curation/trace-export";
import { loadDataset } from "../lib/datasets/dataset-example";
import type { ErrorBody } from "../lib/errors";
import { E2E_ADMIN_TOKEN, E2E_DATASETS_DIR, E2E_REVIEW_QUEUE, E2E_TRACE_LOG } from "../test-support/server/e2e-server-settings";

// From a bad trace to a reviewed regression test, the way a person does it: production
// traffic against the running app, `npm run curate`, then accept and reject at /review.

const production = path.join(E2E_DATASETS_DIR, "production.jsonl");
const tsx = path.resolve("node_modules", ".bin", "tsx");

/** The `code` of an API route's JSON error body (lib/http/responses.ts). */
async function errorCode(response: APIResponse): Promise<string> {
  const body = (await response.json()) as ErrorBody;
  return body.error.code;
}

function cli(script: string, args: string[]): string {
  const result = spawnSync(tsx, ["--no-node-snapshot", script, ...args], { encoding: "utf8", timeout: 300_000 });
  const output = `${result.stdout}\n${result.stderr}`;
  expect(result.status, `${script} ${args.join(" ")}\n${output.slice(-3000)}`).toBe(0);
  return output;
}

test.beforeAll(() => {
  fs.rmSync(E2E_DATASETS_DIR, { recursive: true, force: true });
  fs.rmSync(E2E_REVIEW_QUEUE, { force: true });
});

test("traffic → curate → review: the accepted candidate lands in production.jsonl with its trace, the rejected one does not", async ({
  page,
  baseURL,
}) => {
  test.setTimeout(600_000);
  cli("scripts/traffic.ts", ["--url", baseURL!, "--sessions", "2", "--seed", "7"]);

  // Spans reach the server's trace log in batches: curate until the traffic's traces are there.
  await expect
    .poll(
      () => {
        cli("scripts/curate.ts", [
          "--trace-log",
          E2E_TRACE_LOG,
          "--datasets",
          E2E_DATASETS_DIR,
          "--out",
          E2E_REVIEW_QUEUE,
          "--since",
          "1h",
        ]);
        return readReviewQueue(E2E_REVIEW_QUEUE).filter((c) => c.status === "pending").length;
      },
      { timeout: 60_000, intervals: [2_000, 5_000, 10_000] },
    )
    .toBeGreaterThanOrEqual(2);
  const proposed = readReviewQueue(E2E_REVIEW_QUEUE);
  expect(proposed.every((c) => c.reasons.length > 0)).toBe(true);

  await page.goto("/review");
  await page.getByLabel("Admin token").fill(E2E_ADMIN_TOKEN);
  await page.getByRole("button", { name: "Open review" }).click();
  const cards = page.locator("article.candidate[data-trace-id]");
  await expect(cards.first()).toBeVisible();
  const accepted = (await cards.nth(0).getAttribute("data-trace-id"))!;
  const rejected = (await cards.nth(1).getAttribute("data-trace-id"))!;

  const first = page.locator(`article[data-trace-id="${accepted}"]`);
  await expect(first.getByText("Question:")).toBeVisible();
  await first.getByLabel("Facts the answer must contain (one per line)").fill("reviewed fact");
  await first.getByRole("button", { name: "Accept" }).click();
  await expect(page.getByRole("status")).toContainText("Accepted");
  await expect(first).toHaveCount(0);

  const second = page.locator(`article[data-trace-id="${rejected}"]`);
  await second.getByRole("button", { name: "Reject" }).click();
  await expect(page.getByRole("status")).toContainText("Rejected");
  await expect(second).toHaveCount(0);

  const items = loadDataset(production);
  expect(items).toHaveLength(1);
  expect(items[0]).toMatchObject({ source: "production", traceId: accepted, reviewed: true, expected: { facts: ["reviewed fact"] } });
  expect(items.some((e) => e.traceId === rejected)).toBe(false);
  expect(readTraceExport(path.join(E2E_DATASETS_DIR, "production.traces.jsonl")).map((t) => t.traceId)).toEqual([accepted]);
  const queue = readReviewQueue(E2E_REVIEW_QUEUE);
  expect(queue.find((c) => c.traceId === accepted)?.status).toBe("accepted");
  expect(queue.find((c) => c.traceId === rejected)?.status).toBe("rejected");
});

test("the review API refuses bad requests with a 4xx and writes nothing", async ({ request }) => {
  const before = fs.existsSync(production) ? fs.readFileSync(production, "utf8") : null;
  const post = (data: unknown, token: string | null = E2E_ADMIN_TOKEN) =>
    request.post("/api/review/decisions", { data, headers: token === null ? {} : { authorization: `Bearer ${token}` } });
  const accept = { target: "production", traceId: "0".repeat(32), decision: "accept", expected: { route: "calculator" } };

  expect((await request.get("/api/review/queue")).status()).toBe(401);
  expect((await request.get("/api/review/queue", { headers: { authorization: "Bearer wrong-token-000000000" } })).status()).toBe(403);
  expect((await post(accept, null)).status()).toBe(401);
  expect((await post(accept, "not-the-admin-token-000")).status()).toBe(403);
  const malformed = await post({ target: "production", traceId: "xyz", decision: "accept" });
  expect(malformed.status()).toBe(400);
  expect(await errorCode(malformed)).toBe("invalid_body");
  const unknown = await post(accept);
  expect(unknown.status()).toBe(404);
  expect(await errorCode(unknown)).toBe("trace_not_found");

  expect(fs.existsSync(production) ? fs.readFileSync(production, "utf8") : null).toBe(before);
});
