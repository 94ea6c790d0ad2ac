import { AIMessage, type BaseMessage, HumanMessage, SystemMessage } from "@langchain/core/messages";
import type { ModelArguments } from "../routes/route";
import { definePrompt, type Prompt } from "./prompt";

const INSTRUCTION = "Fill in the tool arguments for the message as JSON.";
const REPAIR = "The previous call {args} failed ({problem}). Fix the arguments.";

const prompts = new WeakMap<ModelArguments, Prompt>();

/** The argument-filling prompt of one route: the instruction and the route's worked examples. */
export function toolArgumentsPrompt(route: string, args: ModelArguments): Prompt {
  let prompt = prompts.get(args);
  if (!prompt) {
    prompt = definePrompt(`tool-arguments/${route}`, "1", [INSTRUCTION, REPAIR, ...args.shots.flatMap(([q, a]) => [q, JSON.stringify(a)])]);
    prompts.set(args, prompt);
  }
  return prompt;
}

/** After a failed call: the arguments tried and the error, so the model can fix them. */
export function repairNote(args: Record<string, unknown>, problem: string): string {
  return REPAIR.replace("{args}", JSON.stringify(args)).replace("{problem}", problem);
}

export function toolArgumentsMessages(args: ModelArguments, message: string, note?: string): BaseMessage[] {
  const messages: BaseMessage[] = [new SystemMessage(INSTRUCTION)];
  for (const [q, a] of args.shots) messages.push(new HumanMessage(q), new AIMessage(JSON.stringify(a)));
  messages.push(new HumanMessage(note ? `${message}\n${note}` : message));
  return messages;
}
