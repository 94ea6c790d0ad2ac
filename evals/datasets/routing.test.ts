import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROUTE_EXAMPLES } from "@/agents/routes/registry";
import { ROUTES } from "@/agents/routes/registry";
import { loadDataset } from "@/lib/datasets/dataset-example";

describe("evals/datasets/routing.jsonl", () => {
  const file = path.join(import.meta.dirname, "routing.jsonl");
  const examples = loadDataset(file);

  it("has at least 100 reviewed, manual, route-labelled examples, at least 15 per route", () => {
    expect(examples.length).toBeGreaterThanOrEqual(100);
    for (const route of ROUTES) {
      expect(examples.filter((e) => e.expected.route === route).length, `routing.jsonl needs 15 labeled messages for ${route} (see CONTRIBUTING.md, 'Adding a tool')`).toBeGreaterThanOrEqual(15);
    }
    for (const e of examples) {
      expect(e.id).toMatch(/^route-\d{3}$/);
      expect(e).toMatchObject({ source: "manual", reviewed: true, tags: ["routing", e.expected.route] });
    }
  });

  it("shares no utterance with the router's examples (it is a held-out set)", () => {
    const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
    const trained = new Set(ROUTES.flatMap((r) => ROUTE_EXAMPLES[r].map(norm)));
    expect(examples.filter((e) => trained.has(norm(e.input.message))).map((e) => e.input.message)).toEqual([]);
  });
});
