import { beforeAll, describe, expect, it } from "vitest";
import { getConfig } from "@/lib/config";
import { createChatModel } from "@/lib/llm/provider";
import { claimScore } from "@/lib/quality/claim-score";
import { InMemorySessionStore } from "@/lib/sessions/session-store";
import { getKnowledgeBase } from "@/lib/vectorstore/knowledge-base";
import { pct, readSalesFacts, sumBy, total, type SalesFact } from "@/test-support/sales/sales-facts";
import { runAgentChat } from "../graph/run-agent-chat";
import { createAgentTools } from "../graph/tools";
import type { AgentDeps } from "../graph/types";
import { SemanticRouter } from "../router/semantic-router";

// Derived sales figures through the real agent: local embeddings, the semantic router, the
// real sales tool and the embedded chat model. The expected figures are summed from the CSV
// here; the answer must state the one asked for in its first sentence, and every number it
// states must be in the tool's output.

const config = getConfig();
const knowledgeBase = getKnowledgeBase(config);
const chatModel = createChatModel(config.llm, config.models.dir);
const router = new SemanticRouter(knowledgeBase.embedder);
const facts = readSalesFacts();
const revenue = (f: SalesFact) => f.revenue_usd;

function deps(): AgentDeps {
  return {
    embedder: knowledgeBase.embedder,
    chatModel,
    sessions: new InMemorySessionStore(),
    router,
    tools: createAgentTools({ retriever: knowledgeBase, k: config.retrievalK }),
    provider: "local",
  };
}

async function ask(message: string) {
  const result = await runAgentChat({ message }, deps());
  const end = result.steps.find((s) => s.type === "tool_end" && s.tool === "sales_query");
  const output = end?.type === "tool_end" ? end.output : "";
  const start = result.steps.find((s) => s.type === "tool_start" && s.tool === "sales_query");
  return { result, output, input: start?.type === "tool_start" ? start.input : undefined, first: result.answer.split("\n")[0] ?? "" };
}

const money = (n: number) => `$${n.toLocaleString("en-US")}`;
const percent = (n: number) => `${n.toFixed(1)}%`;

beforeAll(async () => {
  await knowledgeBase.store();
  await router.load();
});

describe("derived sales figures with the local models", () => {
  it("growth between two quarters: the percentage first, both quarters after", async () => {
    const q2 = total(facts, (f) => f.quarter === "2025-Q2", revenue);
    const q3 = total(facts, (f) => f.quarter === "2025-Q3", revenue);
    const { result, output, input, first } = await ask("By how much did total revenue rise between the second and the third quarter?");
    expect(result.steps[0]).toMatchObject({ type: "route", route: "sales_query" });
    expect(input).toMatchObject({ derive: "growth", quarter: "2025-Q3", compareTo: "2025-Q2" });
    // The trace's tool output carries the spec and the rows the figure comes from.
    expect(JSON.parse(output)).toMatchObject({ spec: { derived: { measure: "growth" } }, rows: [{ growth_pct: pct(q3 - q2, q2) }] });
    expect(first).toContain(percent(pct(q3 - q2, q2)));
    expect(result.answer).toContain(money(q2));
    expect(result.answer).toContain(money(q3));
    expect(claimScore(result.answer, [output]).label).toBe("supported");
  });

  it("the demo's growth question gets one clean sentence, not the report's text", async () => {
    const { result, first } = await ask("What was our Q3 2025 sales growth?");
    expect(first).toBe("Revenue grew 17.0% from Q2 2025 to Q3 2025 ($7,278,431 to $8,515,801).");
    expect(result.answer).not.toMatch(/Q\d Q\d|Sales Report/);
  });

  it("a region's share of the year's revenue, with the part and the total", async () => {
    const part = total(facts, (f) => f.region === "APAC", revenue);
    const whole = total(facts, () => true, revenue);
    const { output, input, first } = await ask("What percentage of this year's revenue did APAC bring in?");
    expect(input).toMatchObject({ derive: "share", region: "APAC" });
    expect(first).toContain(percent(pct(part, whole)));
    expect(first).toContain(money(part));
    expect(first).toContain(money(whole));
    expect(claimScore(first, [output]).label).toBe("supported");
  });

  it("top N by units: the names in order", async () => {
    const byProduct = sumBy(
      facts,
      (f) => f.product_name,
      (f) => f.units,
    );
    const top3 = [...byProduct.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3);
    const { first, result } = await ask("Name the top 3 products by units sold");
    expect(first).toContain(`${top3[0]![0]}, ${top3[1]![0]} and ${top3[2]![0]}`);
    for (const [, units] of top3) expect(result.answer).toContain(units.toLocaleString("en-US"));
  });

  it("revenue per unit: the average with the revenue and units it comes from", async () => {
    const r200 = facts.filter((f) => f.product_id === "ACME-R200");
    const [r, u] = [
      total(r200, () => true, revenue),
      total(
        r200,
        () => true,
        (f) => f.units,
      ),
    ];
    const { input, first } = await ask("On average, how much revenue did each Roadrunner R200 unit bring?");
    expect(input).toMatchObject({ derive: "average", per: "unit", product: "ACME-R200" });
    expect(first).toContain(money(Math.round((r / u) * 100) / 100));
    expect(first).toContain(money(r));
  });

  it("year over year: says the data has no earlier year instead of a figure", async () => {
    const { result } = await ask("How did Q3 revenue change year over year?");
    expect(result.answer).toMatch(/FY2025 only/);
    expect(result.answer).not.toMatch(/\d+(?:\.\d+)?%/);
  });
});
