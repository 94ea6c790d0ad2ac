import { AIMessage, type BaseMessage, HumanMessage, SystemMessage } from "@langchain/core/messages";
import { ROUTE_DEFINITIONS, type RouteName, routeDefinition } from "../routes/registry";
import { definePrompt } from "./prompt";

const INSTRUCTION = "Pick the tool for the user's message.";

function choiceExample(route: RouteName): string | undefined {
  const definition = routeDefinition(route);
  return definition.choiceExample ?? definition.examples[0];
}

/** The route choice the model makes when the semantic router is unsure; its hash covers every route's line and example. */
export const ROUTE_CHOICE_PROMPT = definePrompt("route-choice", "1", [
  INSTRUCTION,
  ...ROUTE_DEFINITIONS.flatMap((r) => [r.description, r.choiceExample ?? r.examples[0] ?? ""]),
]);

/** The options with their descriptions, then one worked example per option, interleaved so the last one does not bias the small model. */
export function routeChoiceMessages(message: string, options: readonly RouteName[]): BaseMessage[] {
  const messages: BaseMessage[] = [
    new SystemMessage(`${INSTRUCTION}\n${options.map((o) => `${o}: ${routeDefinition(o).description}`).join("\n")}`),
  ];
  for (const option of options) {
    const example = choiceExample(option);
    if (example) messages.push(new HumanMessage(example), new AIMessage(JSON.stringify({ route: option })));
  }
  messages.push(new HumanMessage(message));
  return messages;
}
