import { AIMessage, type BaseMessage, HumanMessage, SystemMessage } from "@langchain/core/messages";
import type { Turn } from "@/lib/sessions/session-store";
import type { ScoredChunk } from "@/lib/vectorstore/types";

/** Bump when the wording changes: traces and eval runs are tagged with it. */
export const PROMPT_VERSION = "grounded-answer@1";

export const NO_ANSWER = "I don't know based on the knowledge base.";

// Kept short on purpose: the embedded models have 135M-270M parameters and follow a
// few plain rules far better than a long policy.
const SYSTEM_PROMPT = [
  "You are the assistant of ACME Corp. Answer the question using only the context passages.",
  "Quote figures exactly as written in the context and cite the passage you used, like [1].",
  `If the context does not contain the answer, reply: "${NO_ANSWER}"`,
  "Answer in one to three sentences.",
].join("\n");

/** How many earlier turns are replayed to the model; retrieval sees the previous question too. */
export const HISTORY_TURNS = 2;

export function formatContext(chunks: ScoredChunk[]): string {
  return chunks.map((chunk, i) => `[${i + 1}] ${chunk.title}\n${chunk.text.trim()}`).join("\n\n");
}

export function buildGroundedMessages(question: string, chunks: ScoredChunk[], history: Turn[]): BaseMessage[] {
  const messages: BaseMessage[] = [new SystemMessage(SYSTEM_PROMPT)];
  for (const turn of history.slice(-HISTORY_TURNS)) {
    messages.push(new HumanMessage(turn.user), new AIMessage(turn.assistant));
  }
  const context = chunks.length ? formatContext(chunks) : "(no passages found)";
  messages.push(new HumanMessage(`Context:\n${context}\n\nQuestion: ${question}`));
  return messages;
}
