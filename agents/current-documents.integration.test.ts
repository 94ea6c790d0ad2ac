import { beforeAll, describe, expect, it } from "vitest";
import { getConfig } from "@/lib/config";
import { getKnowledgeBase } from "@/lib/vectorstore/knowledge-base";
import { retrieveForTurn } from "./retrieve-context";

// The real index (npm run ingest) and embedding model: old and current versions of a document
// both match these questions; only the past-tense ones may see the old version.

const config = getConfig();
const knowledgeBase = getKnowledgeBase(config);
const k = config.retrievalK;

beforeAll(async () => {
  await knowledgeBase.store();
});

const docIds = async (question: string) => (await retrieveForTurn(knowledgeBase, question, [], k)).map((c) => c.docId);

describe("retrieval prefers current documents", () => {
  it.each([
    ["What is the list price of an R100 unit?", "price-list-2024", "price-list-2025"],
    ["How many vacation days does a new hire get each year?", "pto-policy-2023", "pto-policy"],
    ["Within how many days can I send back a purchase?", "returns-policy-2023", "returns-policy"],
  ])("%s → the current version only", async (question, oldId, currentId) => {
    // Without the policy the old version is among the matches: the case is a real conflict.
    const raw = (await knowledgeBase.search(question, { k: 2 * k })).map((c) => c.docId);
    expect(raw).toContain(oldId);
    const ids = await docIds(question);
    expect(ids).toContain(currentId);
    expect(ids).not.toContain(oldId);
    expect(ids.length).toBe(k);
  });

  it("keeps the old version when the question asks about the past", async () => {
    expect(await docIds("What did the 2024 price list charge for an R100?")).toContain("price-list-2024");
    expect(await docIds("What was the return window under the previous returns policy?")).toContain("returns-policy-2023");
    expect(await docIds("How has the returns policy changed from the previous one?")).toContain("returns-policy-2023");
  });
});
