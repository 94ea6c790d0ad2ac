import { defaultSalesDir } from "@/lib/sales/sales-db";
import type { Retriever } from "@/lib/vectorstore/types";
import { ROUTE_DEFINITIONS, type RouteName } from "../routes/registry";
import type { AgentTools } from "./types";

/** Every route's tool over this app's knowledge base and `data/sales/` (or `salesDir`). */
export function createAgentTools(options: { retriever: Retriever; k: number; salesDir?: string }): AgentTools {
  const resources = { retriever: options.retriever, k: options.k, salesDir: options.salesDir ?? defaultSalesDir() };
  const entries = ROUTE_DEFINITIONS.map((route) => [route.name, route.createTool(resources)] as const);
  return Object.fromEntries(entries) as Record<RouteName, AgentTools[RouteName]>;
}
