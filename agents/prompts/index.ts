import { GROUNDED_ANSWER_PROMPT } from "./grounded-answer";
import { promptSetId } from "./prompt";
import { ROUTE_CHOICE_PROMPT } from "./route-choice";
import { SALES_SENTENCE_PROMPT } from "./sales-sentence";
import { TOOL_CALLING_PROMPT } from "./tool-calling";
import { toolArgumentsPrompt } from "./tool-arguments";
import { ROUTE_DEFINITIONS } from "../routes/registry";

/** Every prompt the agent can send, for the app's prompt version. */
export const ALL_PROMPTS = [
  GROUNDED_ANSWER_PROMPT,
  ROUTE_CHOICE_PROMPT,
  SALES_SENTENCE_PROMPT,
  TOOL_CALLING_PROMPT,
  ...ROUTE_DEFINITIONS.flatMap((r) => (r.modelArguments ? [toolArgumentsPrompt(r.name, r.modelArguments)] : [])),
];

/** The app's prompt version: changes when any prompt does. Traces carry it as `prompt_version`, and each request's own prompts in `agent.prompts`. */
export const PROMPT_SET_VERSION = `prompts-${promptSetId(ALL_PROMPTS)}`;
