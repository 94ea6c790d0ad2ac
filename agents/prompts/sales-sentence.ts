import { definePrompt } from "./prompt";

export const SALES_SENTENCE_SYSTEM =
  "You are ACME Corp's assistant. Answer the question in one sentence using only the data. Copy names and figures exactly.";

/** The sentence written from a sales query's rows (checked against them before it is shown). */
export const SALES_SENTENCE_PROMPT = definePrompt("sales-sentence", "1", [SALES_SENTENCE_SYSTEM, "Data:\n{rows}\n\nQuestion: {question}"]);
