import { AIMessage, type BaseMessage, HumanMessage, SystemMessage } from "@langchain/core/messages";
import type { Turn } from "@/lib/sessions/session-store";
import { evidenceText, type Evidence } from "../evidence";
import { definePrompt } from "./prompt";

export const NO_ANSWER = "I don't know.";

// Short on purpose: the embedded models have 135M-270M parameters and follow one or
// two plain rules far better than a policy. Measured alternatives are in evidence.ts.
export const GROUNDED_SYSTEM_PROMPT = [
  "You are ACME Corp's assistant. Answer the question in one sentence using only the facts.",
  `Copy figures exactly. If the facts do not answer it, say "${NO_ANSWER}"`,
].join(" ");

/** The user message's shape, as traces record the template (`{facts}` are the evidence lines). */
export const GROUNDED_USER_TEMPLATE = "Facts:\n{facts}\n\nQuestion: {question}";

/** Earlier turns replayed to the model; retrieval sees the previous question as well. */
export const HISTORY_TURNS = 1;

/** Bump the version when the wording changes; the hash changes by itself. */
export const GROUNDED_ANSWER_PROMPT = definePrompt("grounded-answer", "3", [GROUNDED_SYSTEM_PROMPT, GROUNDED_USER_TEMPLATE]);

export function formatEvidence(evidence: Evidence[]): string {
  if (evidence.length === 0) return "(no facts found)";
  return evidence.map((e) => `- ${evidenceText(e)}`).join("\n");
}

/** The user message from GROUNDED_USER_TEMPLATE, so what traces record is what the model gets. */
export function fillGroundedUserTemplate(variables: { facts: string; question: string }): string {
  return GROUNDED_USER_TEMPLATE.replace(/\{(facts|question)\}/g, (_, name: "facts" | "question") => variables[name]);
}

export function buildGroundedMessages(question: string, evidence: Evidence[], history: Turn[]): BaseMessage[] {
  const messages: BaseMessage[] = [new SystemMessage(GROUNDED_SYSTEM_PROMPT)];
  for (const turn of history.slice(-HISTORY_TURNS)) {
    messages.push(new HumanMessage(turn.user), new AIMessage(turn.assistant));
  }
  messages.push(new HumanMessage(fillGroundedUserTemplate({ facts: formatEvidence(evidence), question })));
  return messages;
}
