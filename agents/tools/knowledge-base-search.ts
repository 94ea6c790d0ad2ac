import { tool } from "@langchain/core/tools";
import { context } from "@opentelemetry/api";
import { contextOfLangChainRun } from "@/lib/telemetry/langchain-run-span";
import { z } from "zod";
import type { Retriever, ScoredChunk } from "@/lib/vectorstore/types";
import { retrieveForTurn } from "../retrieve-context";
import { conversationOf } from "./conversation-config";

export const KNOWLEDGE_BASE_SEARCH_TOOL_NAME = "knowledge_base_search";

export const knowledgeBaseSearchDescription =
  "Search ACME Corp's documents (product specs, prices, policies, support procedures, API docs, HR handbook, sales reports) and return the best matching passages. Give the user's question as `query`.";

export const knowledgeBaseSearchSchema = z.object({
  query: z.string().min(1).max(4000).describe("What to look for, usually the user's question."),
  followUp: z
    .boolean()
    .optional()
    .describe("true when the question continues the conversation; the search then follows the conversation's question."),
});
export type KnowledgeBaseSearchInput = z.infer<typeof knowledgeBaseSearchSchema>;

export interface KnowledgeBaseObservation {
  chunks: ScoredChunk[];
}

/**
 * `knowledge_base_search` over a retriever (the HNSW index). The observation is JSON with the
 * full chunks, so the respond step can pick evidence sentences and cite sources; retrieval
 * failures (index missing, embedding failed) are thrown as AppErrors and become an error
 * observation in the agent.
 */
export function createKnowledgeBaseSearchTool(options: { retriever: Retriever; k: number }) {
  return tool(
    async (input: KnowledgeBaseSearchInput, config): Promise<string> => {
      // A follow-up is searched as the standalone question it rewrites into, which can take more than the last turn.
      const history = input.followUp ? conversationOf(config) : [];
      // A traced retriever's embed_query / vector_search spans nest under this tool's span.
      const chunks = await context.with(contextOfLangChainRun(config), () =>
        retrieveForTurn(options.retriever, input.query, history, options.k),
      );
      const observation: KnowledgeBaseObservation = { chunks };
      return JSON.stringify(observation);
    },
    { name: KNOWLEDGE_BASE_SEARCH_TOOL_NAME, description: knowledgeBaseSearchDescription, schema: knowledgeBaseSearchSchema },
  );
}
