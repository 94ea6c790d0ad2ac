import { z } from "zod";
import { QUARTERS, REGIONS } from "@/lib/sales/sales-db";
import { GROUP_BY_KEYS, METRICS, ORDERS } from "@/lib/sales/sales-dimensions";
import { MAX_GROUP_BY, MAX_LIMIT } from "@/lib/sales/sales-query-params";
import { extractSalesParams, hasSalesFilters, type SalesParams } from "../graph/extract";
import { fillArgumentsWithModel } from "../graph/model-arguments";
import { createSalesQueryTool } from "../tools/sales-query";
import { knowledgeBaseCall } from "./knowledge-base";
import { parseToolOutput } from "./parse-output";
import { defineRoute, type ModelArguments, type PlanInput } from "./route";
import { salesAnswer } from "./sales-answer";
import { salesSpecSchema } from "./sales-derived-answer";
import { readDerivedArgs } from "./sales-derived-args";

/** Router score gap under which a sales question also searches the knowledge base (the quarterly reports). */
export const KB_SALES_MARGIN = 0.12;

// The values come from the sales module, so a new quarter or region in the data is a new
// allowed value here too, not a silent rejection.
const salesParamsSchema = z.object({
  metric: z.enum(METRICS).optional(),
  quarter: z.enum(QUARTERS).optional(),
  region: z.enum(REGIONS).optional(),
  groupBy: z.array(z.enum(GROUP_BY_KEYS)).max(MAX_GROUP_BY).optional(),
  order: z.enum(ORDERS).optional(),
  limit: z.number().int().min(1).max(MAX_LIMIT).optional(),
});

const modelArguments: ModelArguments<z.infer<typeof salesParamsSchema>> = {
  schema: salesParamsSchema,
  shots: [
    [
      "Which channel brought in the most revenue in Q4?",
      { metric: "revenue", quarter: "2025-Q4", groupBy: ["channel"], order: "desc", limit: 1 },
    ],
    ["What were the first quarter's sales?", { metric: "revenue", quarter: "2025-Q1" }],
  ],
};

const rowSchema = z.record(z.string(), z.union([z.string(), z.number()]));
const observationSchema = z.object({ rows: z.array(rowSchema), spec: salesSpecSchema.optional(), note: z.string().optional() });

/** A quarter's total revenue and nothing else: the figure the quarterly sales report states. */
export function isQuarterTotal(args: Record<string, unknown>): boolean {
  const filters = ["month", "region", "product", "category", "channel", "groupBy", "derive", "compareTo", "shareOf", "per"].some(
    (k) => args[k] !== undefined,
  );
  return typeof args.quarter === "string" && !filters && (args.metric === undefined || args.metric === "revenue");
}

async function planSalesArguments(input: PlanInput) {
  const text = input.followUp ? `${input.history.at(-1)?.user ?? ""} ${input.message}` : input.message;
  // A follow-up's own words win ("and Q2?" replaces the previous quarter).
  const plain: SalesParams = { ...extractSalesParams(text), ...extractSalesParams(input.message) };
  // A share, growth or average changes what the plain filters mean (two quarters are growth's two sides).
  const params = readDerivedArgs(input.message, plain, input.followUp ? text : undefined);
  if (hasSalesFilters(params)) return { tool: "sales_query", args: { ...params }, argsFrom: "rule" as const };
  const out = await fillArgumentsWithModel("sales_query", modelArguments, input);
  // The rule's values win; the model fills only what the rule did not find.
  return { tool: "sales_query", args: { ...(out ?? {}), ...params }, argsFrom: out ? ("rule+model" as const) : ("rule" as const) };
}

/**
 * Figures computed from the FY2025 sales table by a parameterized, allow-listed query (the model
 * never writes SQL). A quarter's total also cites the quarterly report, and is answered from it.
 */
export const salesQueryRoute = defineRoute({
  name: "sales_query",
  label: "the sales database query",
  description:
    "Compute figures from the FY2025 sales table: revenue or units by quarter, month, region, product, category or channel, with totals, rankings, comparisons, shares, growth and averages.",
  examples: [
    "How many units did we sell in total in 2025?",
    "What was North America's revenue in Q1?",
    "Revenue for the Roadrunner R200 per quarter",
    "Which region had the most units sold in Q3?",
    "compare partner and direct channel revenue for the R100",
    "What were online sales of the TrackPoint T5 in July?",
    "best selling product by units in LATAM",
    "How much Coyote Cloud revenue came from EMEA in Q4 2025?",
    "monthly revenue trend across 2025",
    "Which product category brought in the most revenue?",
    "SkyHook S10 units sold per month in APAC",
    "How is FY2025 revenue split across regions?",
    "How many PowerCell P3 batteries did we sell online?",
    "Which quarter had the lowest Anvil A1 revenue?",
    "sum of robotics revenue in the second half of the year",
    "rank products by revenue in Q2",
    "growth in drone units from Q1 to Q2",
    "what did we sell in LATAM in November",
    "revenue per channel and region in Q3",
    "How did EMEA do in September compared with August?",
    "Which month had the fewest units sold?",
    "total IoT units in North America this year",
    "How many R100s went through partners in Q4?",
    "Give me February's sales figures by product",
    "average revenue per unit for the R200 in EMEA",
    "which regions sold Coyote Cloud through the online channel",
    "breakdown of Q1 revenue by category",
    "best month for accessory sales",
    "how many trackers were sold last quarter",
    "Which sales channel grew fastest over the year?",
    "How many units of each product did APAC buy in Q2 2025?",
    "What's the total revenue from the Partner channel in EMEA this year?",
    "Which region led in Roadrunner sales in the second quarter?",
  ],
  createTool: (resources) => createSalesQueryTool({ dataDir: resources.salesDir }),
  modelArguments,
  planArguments: planSalesArguments,
  companions(main, input) {
    const [first, second] = input.candidates;
    const closeToKb =
      first?.route === "sales_query" && second?.route === "knowledge_base_search" && first.score - second.score <= KB_SALES_MARGIN;
    // The knowledge base holds a narrative report per quarter: a quarter's total (or a sales
    // question the router finds almost as close to the documents) cites it as well.
    return closeToKb || isQuarterTotal(main.args) ? [knowledgeBaseCall(input)] : [];
  },
  answerFromPassagesOnFailure: true,
  readOutput(output, args) {
    const { rows, spec, note } = parseToolOutput(observationSchema, output, "the sales database query");
    return {
      summary: output,
      answer: (context) =>
        isQuarterTotal(args) && context.passages.length > 0
          ? context.answerFromPassages()
          : salesAnswer({
              message: context.message,
              args,
              rows,
              spec,
              note,
              chatModel: context.chatModel,
              out: context.out,
              usePrompt: context.usePrompt,
            }),
    };
  },
});
