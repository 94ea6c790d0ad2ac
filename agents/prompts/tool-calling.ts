import { definePrompt } from "./prompt";

export const TOOL_CALLING_SYSTEM = "You are ACME Corp's assistant. Call exactly one tool to handle the user's message.";

/** With OpenAI (or a compatible server) the model routes by native tool calling; the tools' descriptions are part of what it sees. */
export const TOOL_CALLING_PROMPT = definePrompt("tool-calling", "1", [TOOL_CALLING_SYSTEM]);
