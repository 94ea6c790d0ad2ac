import { expect, type Page, test } from "@playwright/test";
import { ask, finished } from "./chat-page";
import { TraceLog } from "../lib/telemetry/trace-log/trace-log";
import { quarterTotal } from "../test-support/sales/quarter-total";
import { E2E_TRACE_LOG } from "../test-support/server/e2e-server-settings";

// These run against the production build with the real embedded chat model, the real
// embedding model and the real index: what a person sees after `npm start`.

/** When the first step, the first answer text and the end of the turn reached the page (ms since the page loaded). */
async function recordTimeline(page: Page): Promise<void> {
  await page.evaluate(() => {
    const timeline: Record<string, number> = {};
    (window as unknown as { timeline: Record<string, number> }).timeline = timeline;
    const mark = (name: string, reached: boolean) => {
      if (reached && timeline[name] === undefined) timeline[name] = performance.now();
    };
    new MutationObserver(() => {
      const last = [...document.querySelectorAll('article[aria-label="Assistant message"]')].at(-1);
      if (!last) return;
      mark("firstStep", last.querySelector('[aria-label="Agent steps"] li') !== null);
      mark("firstAnswerText", (last.querySelector('[data-testid="answer"]')?.textContent ?? "") !== "");
      mark("done", last.getAttribute("aria-busy") === "false");
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
}

test("answers a sales question with a streamed, cited answer and keeps the conversation", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("list", { name: "Example questions" })).toBeVisible();

  await recordTimeline(page);
  const answer = await ask(page, "What were Q3 sales for ACME Corp?");
  const text = answer.getByTestId("answer");

  // Streaming: the agent's steps show while it works; the answer, checked against its sources
  // before it is shown (ANSWER_GUARDS), follows them and ends the turn.
  await finished(answer);
  const timeline = await page.evaluate(() => (window as unknown as { timeline: Record<string, number> }).timeline);
  expect(timeline.firstStep).toBeLessThan(timeline.firstAnswerText!);
  expect(timeline.firstAnswerText).toBeLessThanOrEqual(timeline.done!);
  const full = (await text.textContent()) ?? "";

  const sources = answer.getByRole("region", { name: "Sources" });
  await expect(sources).toContainText("Q3 2025 Sales Report");
  expect(normaliseMoney(full)).toContain(String(quarterTotal("2025-Q3")));

  // A source expands to its full chunk text.
  await sources.locator("summary").first().click();
  await expect(sources.locator("pre.chunk").first()).toBeVisible();

  // The follow-up only makes sense with the first question: retrieval must bring back
  // the Q3 report (named only in the first turn) beside the Q2 one.
  const followUp = await ask(page, "How does that compare with Q2?");
  await finished(followUp);
  const followUpSources = followUp.getByRole("region", { name: "Sources" });
  await expect(followUpSources).toContainText("Q2 2025 Sales Report");
  await expect(followUpSources).toContainText("Q3 2025 Sales Report");
  await expect(followUp.getByTestId("answer")).not.toBeEmpty();
});

test("shows the agent's route and tool call, then an answer from the sales data", async ({ page }) => {
  await page.goto("/");
  const answer = await ask(page, "Which region had the highest revenue in Q2?");
  const steps = answer.getByRole("region", { name: "Agent steps" });
  await expect(steps).toContainText("Route: sales_query");
  await expect(steps).toContainText("Calling sales_query");
  await finished(answer);
  await expect(answer.getByTestId("answer")).toContainText("EMEA");
  // The SQL the tool ran is one click away, not in the way.
  await steps.getByText("output").first().click();
  await expect(steps.locator("pre").first()).toContainText("SELECT");
});

test("Shift+Enter adds a line, Enter sends, Stop ends the answer", async ({ page }) => {
  await page.goto("/");
  const box = page.getByRole("textbox", { name: "Message" });
  await box.fill("How long do I have to return");
  await box.press("Shift+Enter");
  await box.pressSequentially("a product?");
  await expect(box).toHaveValue("How long do I have to return\na product?");
  await expect(page.getByRole("article")).toHaveCount(0);

  await box.press("Enter");
  await expect(box).toHaveValue("");
  const answer = page.getByRole("article", { name: "Assistant message" });
  await page.getByRole("button", { name: "Stop" }).click();
  await finished(answer);
  await expect(page.getByRole("button", { name: "Send" })).toBeVisible();
});

test("shows a server error in the page", async ({ page }) => {
  await page.goto("/");
  // A request the server must refuse: over the 4,000-character limit. The textarea caps
  // input, so the request is sent the way a scripted client would.
  const status = await page.evaluate(async () => {
    const response = await fetch("/api/chat", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ message: "x".repeat(4001) }),
    });
    return response.status;
  });
  expect(status).toBe(400);

  // And the UI path: the index answers, but a stopped server would not; simulate the
  // network failing under the page to see the error rendered.
  await page.route("/api/chat", (route) => route.abort("connectionrefused"));
  const answer = await ask(page, "What is the warranty on the R100?");
  await expect(answer.getByRole("alert")).toContainText("Could not reach the server");
  await expect(page.getByRole("button", { name: "Send" })).toBeVisible();
});

test("works on a phone-sized screen @phone", async ({ page }) => {
  await page.goto("/");
  const box = page.getByRole("textbox", { name: "Message" });
  await expect(box).toBeInViewport();
  await expect(page.getByRole("button", { name: "Send" })).toBeInViewport();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

/** "$1,234,567" and "1,234,567" both become "1234567". */
function normaliseMoney(text: string): string {
  return text.replace(/(\d),(?=\d{3})/g, "$1");
}

test("links each answer to its trace and records thumbs-down feedback with a comment", async ({ page }) => {
  await page.goto("/");
  const answer = await ask(page, "What is 17.5% of 2,340?");
  await finished(answer);
  const trace = answer.locator(".trace");
  const traceId = (await trace.locator("code").textContent())?.trim() ?? "";
  expect(traceId).toMatch(/^[0-9a-f]{32}$/);
  await expect(trace.getByRole("link", { name: "View trace" })).toHaveAttribute("href", new RegExp(`/redirects/traces/${traceId}$`));

  await answer.getByRole("button", { name: "Bad answer" }).click();
  await answer.getByRole("textbox", { name: "Feedback comment (optional)" }).fill("wrong rounding; 'quotes' and <tags> stay text");
  await answer.getByRole("button", { name: /Send/ }).click();
  await expect(answer.getByText("Thanks for the feedback")).toBeVisible();

  // The judgement is in the server's trace log, on that trace, verbatim.
  const log = new TraceLog(E2E_TRACE_LOG);
  try {
    expect(log.feedbackFor(traceId)).toMatchObject([{ score: 0, comment: "wrong rounding; 'quotes' and <tags> stay text" }]);
  } finally {
    log.close();
  }
});
