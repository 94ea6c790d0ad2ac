import { expect, type Locator, type Page } from "@playwright/test";

/** Types a question into the chat box, sends it, and returns its answer's article once it shows. */
export async function ask(page: Page, question: string): Promise<Locator> {
  const before = await page.getByRole("article", { name: "Assistant message" }).count();
  const box = page.getByRole("textbox", { name: "Message" });
  await box.fill(question);
  await box.press("Enter");
  const answer = page.getByRole("article", { name: "Assistant message" }).nth(before);
  await expect(answer).toBeVisible();
  return answer;
}

/** Waits until the answer's turn has ended (the article is no longer busy). */
export async function finished(answer: Locator): Promise<void> {
  await expect(answer).toHaveAttribute("aria-busy", "false");
}

/** `ask`, then waits for the turn to end. */
export async function askAndWait(page: Page, question: string): Promise<Locator> {
  const answer = await ask(page, question);
  await finished(answer);
  return answer;
}
