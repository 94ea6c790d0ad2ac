import { describe, expect, it } from "vitest";
import { HashingTestEmbedder } from "@/test-support/embeddings/hashing-test-embedder";
import type { RouteName } from "@/agents/routes/registry";
import { SemanticRouter, softmaxTop, topKMean } from "./semantic-router";

// Five of the routes, with a few examples each: the router chooses among the routes it has examples for.
const examples: Partial<Record<RouteName, string[]>> = {
  knowledge_base_search: ["warranty policy document", "returns policy document", "price list document"],
  sales_query: ["revenue by region quarter", "units sold by month", "revenue ranking products"],
  calculator: ["12 plus 7", "percent of number", "divide by 3"],
  run_code: ["write function javascript", "implement algorithm code", "test code function"],
  ask_followup: ["what about that", "and the other", "do it again"],
};

describe("SemanticRouter (hashing test embedder)", () => {
  it("embeds the examples once, lazily, and routes to the nearest examples", async () => {
    const embedder = new HashingTestEmbedder();
    const router = new SemanticRouter(embedder, { examples, k: 2 });
    expect(embedder.embedded).toHaveLength(0);
    const [a, b] = await Promise.all([router.route("units sold by region"), router.route("write javascript function")]);
    expect(a.route).toBe("sales_query");
    expect(b.route).toBe("run_code");
    await router.route("what about that");
    const exampleCount = Object.values(examples).reduce((s, list) => s + list.length, 0);
    expect(embedder.embedded).toHaveLength(exampleCount + 3);
  });

  it("returns all five candidates sorted by score, with a softmax confidence", async () => {
    const router = new SemanticRouter(new HashingTestEmbedder(), { examples, temperature: 0.05 });
    const d = await router.route("revenue by region quarter");
    expect(d.candidates.map((c) => c.route).sort()).toEqual(Object.keys(examples).sort());
    for (let i = 1; i < d.candidates.length; i++) expect(d.candidates[i - 1]!.score).toBeGreaterThanOrEqual(d.candidates[i]!.score);
    expect(d.route).toBe(d.candidates[0]!.route);
    expect(d.confidence).toBeCloseTo(
      softmaxTop(
        d.candidates.map((c) => c.score),
        0.05,
      ),
      10,
    );
    expect(d.confidence).toBeGreaterThan(0.2);
    expect(d.confidence).toBeLessThanOrEqual(1);
  });

  it("routes a precomputed vector like the message itself", async () => {
    const embedder = new HashingTestEmbedder();
    const router = new SemanticRouter(embedder);
    const message = "what is 25% of 480";
    expect(await router.routeVector(await embedder.embedQuery(message))).toEqual(await router.route(message));
  });

  it("rejects a route without examples and a non-positive temperature", () => {
    const embedder = new HashingTestEmbedder();
    expect(() => new SemanticRouter(embedder, { examples: { ...examples, calculator: [] } })).toThrow(/calculator/);
    expect(() => new SemanticRouter(embedder, { temperature: 0 })).toThrow(/temperature/);
  });

  it("retries the example embedding after a failure", async () => {
    const inner = new HashingTestEmbedder();
    let fail = true;
    const flaky = {
      modelName: "flaky",
      dimensions: inner.dimensions,
      embedDocuments: async (texts: string[]) => {
        if (fail) throw new Error("boom");
        return inner.embedDocuments(texts);
      },
      embedQuery: (text: string) => inner.embedQuery(text),
    };
    const router = new SemanticRouter(flaky, { examples });
    await expect(router.route("12 plus 7")).rejects.toThrow("boom");
    fail = false;
    expect((await router.route("12 plus 7")).route).toBe("calculator");
  });
});

describe("helpers and route data", () => {
  it("topKMean averages the k largest values", () => {
    expect(topKMean([0.1, 0.9, 0.5, 0.7], 2)).toBeCloseTo(0.8);
    expect(topKMean([0.4], 3)).toBeCloseTo(0.4);
  });

  it("softmaxTop is 1/n for ties and grows with the margin", () => {
    expect(softmaxTop([0.5, 0.5, 0.5, 0.5], 0.05)).toBeCloseTo(0.25);
    expect(softmaxTop([0.6, 0.5], 0.05)).toBeGreaterThan(softmaxTop([0.55, 0.5], 0.05));
  });
});
