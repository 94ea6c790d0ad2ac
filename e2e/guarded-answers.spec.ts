import { expect, test } from "@playwright/test";
import { askAndWait } from "./chat-page";
import { INVENTED_CLAIM } from "../lib/faults/invented-figures";
import { E2E_FAULT_TOKEN } from "../test-support/server/e2e-server-settings";

// The production build with the real models: what a person sees when the documents cannot
// answer, and when the model invents a figure (injected: answers=invent) that the guard catches.

test("says plainly when the documents do not answer, and what it searched", async ({ page }) => {
  await page.goto("/");
  const answer = await askAndWait(page, "Does the ACME health plan cover orthodontics for employees?");
  const text = answer.getByTestId("answer");
  await expect(text).toContainText("I don't know");
  await expect(text).toContainText('no ACME document mentions "orthodontic"');
  await expect(text).toContainText("the closest documents were");
  await expect(answer.getByRole("region", { name: "Agent steps" })).toContainText(
    "Answer checked against the sources: the documents do not answer this",
  );
});

test("never shows an invented figure: the answer is replaced by the quoted evidence", async ({ page }) => {
  await page.setExtraHTTPHeaders({ "x-fault-token": E2E_FAULT_TOKEN, "x-fault-inject": "answers=invent" });
  await page.goto("/");
  const answer = await askAndWait(page, "How long is the warranty on the Anvil A1 gateway?");
  const text = answer.getByTestId("answer");
  await expect(text).toContainText("I couldn't check a generated answer against the documents, so here is what they say:");
  await expect(text).toContainText("“");
  await expect(text).toContainText("3-year");
  await expect(text).not.toContainText("987,654");
  expect(INVENTED_CLAIM).toContain("987,654");
  await expect(answer.getByRole("region", { name: "Agent steps" })).toContainText(
    "Answer checked against the sources: unsupported text replaced by the quoted evidence",
  );
});
