import { z } from "zod";
import { streamText } from "../answer/stream-answer";
import { askFollowupTool, DEFAULT_FOLLOWUP_QUESTION } from "../tools/ask-followup";
import { parseToolOutput } from "./parse-output";
import { defineRoute } from "./route";

const observationSchema = z.object({ question: z.string() });

/** A message that cannot be acted on without earlier context: ask instead of guessing. */
export const askFollowupRoute = defineRoute({
  name: "ask_followup",
  label: "the follow-up question",
  description: "The message is too vague to act on without earlier context (e.g. 'and for those?'): ask the user a clarifying question.",
  examples: [
    "what about it?",
    "and the other?",
    "do that again",
    "more please",
    "what about them",
    "explain more",
    "how many?",
    "which is it?",
    "and then?",
    "can you elaborate",
    "same question for the other product",
    "what about last year?",
    "and how about this one",
    "why is that?",
    "go on",
    "what does that mean?",
    "repeat that",
    "the first one",
    "is that right?",
    "compare it with the previous one",
    "what was it again?",
    "any others?",
    "ok and?",
    "try again",
    "what about the price?",
    "can you change it",
    "the same but shorter",
    "when?",
    "now the same for next year",
    "what about the rest of them?",
    "and the next one?",
    "ok, do it for the others too",
  ],
  createTool: () => askFollowupTool,
  // Deterministic: the 135M model's questions were vaguer than the message it asked about.
  planArguments: () => ({ tool: "ask_followup", args: { question: DEFAULT_FOLLOWUP_QUESTION }, argsFrom: "default" }),
  readOutput(output) {
    const { question } = parseToolOutput(observationSchema, output, "ask_followup");
    return { summary: output, answer: (context) => Promise.resolve(streamText(question, context.out)) };
  },
});
