import { expect, type Locator, test } from "@playwright/test";
import { askAndWait as ask } from "./chat-page";

// Issue 16, items 6 and 7, as a person sees them: against the production build with the real
// embedded chat model, embedding model and index. A follow-up that narrows the question gets
// an answer of its own, not the previous one again; a greeting and an off-topic question get a
// short reply that says what the assistant is for.

const answerText = async (answer: Locator) => ((await answer.getByTestId("answer").textContent()) ?? "").trim();

test("a follow-up that narrows the question changes the answer", async ({ page }) => {
  await page.goto("/");
  const first = await ask(page, "What is the returns policy?");
  const firstText = await answerText(first);
  expect(firstText).not.toBe("");
  expect(firstText).not.toMatch(/opened/i);

  const followUp = await ask(page, "and for opened items?");
  const followUpText = await answerText(followUp);
  expect(followUpText).not.toBe(firstText);
  expect(followUpText).toMatch(/opened/i);
  await expect(followUp.getByRole("region", { name: "Sources" })).toContainText("Returns and Refunds Policy");

  // The steps show the message as typed: the earlier question stays out of what the tool was given.
  const steps = followUp.getByRole("region", { name: "Agent steps" });
  await expect(steps).toContainText("Route: knowledge_base_search");
  await expect(steps).toContainText('"query":"and for opened items?"');
  await expect(steps).not.toContainText("returns policy");
});

test("a greeting and an off-topic question get a short scoped reply, without a tool", async ({ page }) => {
  await page.goto("/");
  const hello = await ask(page, "Hello!");
  await expect(hello.getByTestId("answer")).toContainText("I'm ACME Corp's assistant");
  await expect(hello.getByRole("region", { name: "Agent steps" })).toContainText("No tool: small talk");
  await expect(hello.getByRole("region", { name: "Agent steps" })).not.toContainText("Calling");

  const offTopic = await ask(page, "what is the capital of France?");
  await expect(offTopic.getByTestId("answer")).toContainText("Sorry, I can't answer that: I only answer questions about ACME Corp");
  await expect(offTopic.getByTestId("answer")).not.toContainText("Paris");
  await expect(offTopic.getByRole("region", { name: "Agent steps" })).toContainText("No tool: outside ACME's topics");
});
