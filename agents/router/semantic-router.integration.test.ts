import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadDataset } from "@/lib/datasets/dataset-example";
import { loadConfig } from "../../lib/config";
import { getEmbedder } from "../../lib/embeddings/transformers-embedder";
import { knownRoute, type RouteName } from "@/agents/routes/registry";
import { scoreRouting } from "./routing-metrics";
import { SemanticRouter } from "./semantic-router";

describe("SemanticRouter with the real all-MiniLM-L6-v2", () => {
  const embedder = getEmbedder(loadConfig());
  const router = new SemanticRouter(embedder);

  it("routes at least 80% of evals/datasets/routing.jsonl right", async () => {
    const dataset = loadDataset(path.join(import.meta.dirname, "..", "..", "evals", "datasets", "routing.jsonl"));
    const labeled = dataset.flatMap((e) => {
      const expected = knownRoute(e.expected.route);
      return expected ? [{ message: e.input.message, expected }] : [];
    });
    const vectors = await embedder.embedDocuments(labeled.map((l) => l.message));
    const outcomes = await Promise.all(
      labeled.map(async (l, i) => ({ expected: l.expected, decision: await router.routeVector(vectors[i] as Float32Array) })),
    );
    const report = scoreRouting(outcomes);
    expect(report.accuracy).toBeGreaterThanOrEqual(0.8);
    for (const r of report.perRoute) expect(r.recall, r.route).toBeGreaterThanOrEqual(0.6);
  });

  // Clear-cut messages, in neither the eval set nor the examples.
  it.each<[string, RouteName]>([
    ["What is the warranty period for the SkyHook S10?", "knowledge_base_search"],
    ["How do I rotate my Fleet API key?", "knowledge_base_search"],
    ["How many Roadrunner R200 units were sold in APAC in Q3 2025?", "sales_query"],
    ["Which region had the highest Online revenue in 2025?", "sales_query"],
    ["what is 15% of 200", "calculator"],
    ["(250 + 750) * 1.2", "calculator"],
    ["Write a JavaScript function that reverses an array and test it", "run_code"],
    ["implement bubble sort in typescript", "run_code"],
    ["what about that one?", "ask_followup"],
    ["and the rest?", "ask_followup"],
  ])("routes %j to %s", async (message, expected) => {
    const decision = await router.route(message);
    expect(decision.route).toBe(expected);
    expect(decision.candidates).toHaveLength(5);
  });
});
