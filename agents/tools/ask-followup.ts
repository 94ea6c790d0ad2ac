import { tool } from "@langchain/core/tools";
import { z } from "zod";

export const ASK_FOLLOWUP_TOOL_NAME = "ask_followup";

export const askFollowupDescription =
  "Ask the user a clarifying question when the message cannot be acted on without earlier context (e.g. 'and for those?' at the start of a conversation). The question becomes the answer.";

export const askFollowupSchema = z.object({
  question: z.string().min(1).max(500).describe("The clarifying question to ask the user."),
});
export type AskFollowupInput = z.infer<typeof askFollowupSchema>;

/** The clarifying question the agent asks when it has nothing to go on (deterministic: no model call). */
export const DEFAULT_FOLLOWUP_QUESTION =
  "I'm not sure what you are referring to. Could you say which product, document or sales figure you mean?";

/** Echoes the question back as `{"question": ...}`: asking is the action, the user's reply is the observation. */
export const askFollowupTool = tool(
  (input: AskFollowupInput): Promise<string> => Promise.resolve(JSON.stringify({ question: input.question })),
  {
    name: ASK_FOLLOWUP_TOOL_NAME,
    description: askFollowupDescription,
    schema: askFollowupSchema,
  },
);
