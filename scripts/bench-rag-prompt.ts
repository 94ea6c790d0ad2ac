import { HumanMessage, SystemMessage, type BaseMessage } from "@langchain/core/messages";

/** The RAG-shaped prompt the chat-model benchmarks send: a short context, a question about it. */

const CONTEXT = [
  "[1] ACME Corporation was founded in 1948 by Margaret Hollis in Tucson, Arizona, as a maker of anvils.",
  "[2] Customers may return any ACME product within 45 days of delivery for a full refund. Opened rocket kits cannot be returned.",
  "[3] Standard shipping is free on ACME orders over $75. Express shipping costs $19 and arrives in 2 business days.",
  "[4] All ACME rocket skates carry a 3-year limited warranty covering manufacturing defects.",
].join("\n");

const QUESTIONS = [
  "Who founded ACME?",
  "How long do I have to return a product?",
  "Can I return an opened rocket kit?",
  "How much is express shipping?",
  "When is standard shipping free?",
  "What does the rocket skate warranty cover?",
  "Where was ACME founded?",
  "How long is the warranty on rocket skates?",
  "How fast is express shipping?",
  "What did ACME originally make?",
  "Summarise the return and shipping policies.",
  "In what year was ACME founded?",
];

const SYSTEM =
  "You are ACME's assistant. Answer using only the context and cite passages like [1]. If the answer is not there, say you don't know.";

/** The i-th benchmark question (cycling). */
export function benchQuestion(i: number): string {
  return QUESTIONS[i % QUESTIONS.length]!;
}

export function benchMessages(question: string): BaseMessage[] {
  return [new SystemMessage(SYSTEM), new HumanMessage(`Context:\n${CONTEXT}\n\nQuestion: ${question}`)];
}
