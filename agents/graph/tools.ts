import path from "node:path";
import type { Retriever } from "@/lib/vectorstore/types";
import { askFollowupTool } from "../tools/ask-followup";
import { calculatorTool } from "../tools/calculator";
import { createKnowledgeBaseSearchTool } from "../tools/knowledge-base-search";
import { createRunCodeTool } from "../tools/run-code";
import { createSalesQueryTool } from "../tools/sales-query";
import type { AgentTools } from "./types";

/** The five tools over this app's knowledge base and `data/sales/` (or `salesDir`). */
export function createAgentTools(options: { retriever: Retriever; k: number; salesDir?: string }): AgentTools {
  return {
    knowledge_base_search: createKnowledgeBaseSearchTool({ retriever: options.retriever, k: options.k }),
    sales_query: createSalesQueryTool({ dataDir: options.salesDir ?? path.resolve("data/sales") }),
    calculator: calculatorTool,
    run_code: createRunCodeTool(),
    ask_followup: askFollowupTool,
  };
}
