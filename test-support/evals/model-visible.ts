import { ALL_PROMPTS } from "@/agents/prompts";
import { ROUTE_DEFINITIONS } from "@/agents/routes/registry";
import { DEFAULT_OUT_OF_SCOPE } from "@/agents/router/semantic-router";
import fs from "node:fs";
import path from "node:path";
import { CATEGORIES, CHANNELS, defaultSalesDir, parseProductsCsv, PRODUCTS_FILE, REGIONS } from "@/lib/sales/sales-db";
import { schemaTexts, type VisibleText } from "./leak-check";

/**
 * Everything the agent can show a chat model: every route's description, router examples,
 * worked examples and tool (description and argument schema), the router's small-talk and
 * off-topic examples, and every registered prompt.
 */
export function modelVisibleTexts(): VisibleText[] {
  const resources = { retriever: { search: () => Promise.resolve([]) }, k: 4, salesDir: defaultSalesDir() };
  const texts: VisibleText[] = [];
  for (const route of ROUTE_DEFINITIONS) {
    const at = (what: string) => `route ${route.name}: ${what}`;
    texts.push({ where: at("description"), text: route.description });
    route.examples.forEach((text, i) => texts.push({ where: at(`example ${i + 1}`), text }));
    if (route.choiceExample) texts.push({ where: at("choice example"), text: route.choiceExample });
    route.modelArguments?.shots.forEach(([message, args], i) => {
      texts.push(
        { where: at(`worked example ${i + 1}`), text: message },
        { where: at(`worked example ${i + 1}`), text: JSON.stringify(args) },
      );
    });
    const tool = route.createTool(resources);
    texts.push({ where: at("tool description"), text: tool.description }, ...schemaTexts(at("tool schema"), tool.schema));
  }
  for (const [kind, examples] of Object.entries(DEFAULT_OUT_OF_SCOPE)) {
    examples.forEach((text, i) => texts.push({ where: `router ${kind}: example ${i + 1}`, text }));
  }
  for (const prompt of ALL_PROMPTS) prompt.content.forEach((text) => texts.push({ where: `prompt ${prompt.name}`, text }));
  return texts;
}

/** The domain's names a tool lists as allowed values: regions, categories, channels, product names and ids. */
export function catalogueNames(): string[] {
  const products = parseProductsCsv(fs.readFileSync(path.join(defaultSalesDir(), PRODUCTS_FILE), "utf8"));
  return [...REGIONS, ...CATEGORIES, ...CHANNELS, ...products.flatMap((p) => [p.product_name, p.product_id])];
}
