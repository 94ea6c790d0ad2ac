import { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { BaseLanguageModelInput } from "@langchain/core/language_models/base";
import { coerceMessageLikeToMessage, HumanMessage, SystemMessage, type BaseMessage } from "@langchain/core/messages";
import { activeFaults } from "./fault-context";

/**
 * `cost=prompt-bloat`: the padding a careless prompt change adds (boilerplate repeated into
 * every system prompt). About 600 tokens with the small models' tokenizers: several times a
 * routing prompt, about double a grounded answer's, still well inside a 4096-token context.
 */
export const PROMPT_PADDING = Array.from(
  { length: 40 },
  (_, i) => `Reminder ${i + 1}: answer politely, keep to the facts given, and follow every instruction above.`,
).join("\n");

function messagesOf(input: BaseLanguageModelInput): BaseMessage[] {
  if (typeof input === "string") return [new HumanMessage(input)];
  if (Array.isArray(input)) return input.map(coerceMessageLikeToMessage);
  return input.toChatMessages();
}

/** The same conversation with the padding appended to its system prompt (or as one, when it has none). */
export function bloatPrompt(input: BaseLanguageModelInput): BaseMessage[] {
  const messages = messagesOf(input);
  const first = messages[0];
  if (first && first.type === "system" && typeof first.content === "string") {
    return [new SystemMessage(`${first.content}\n\n${PROMPT_PADDING}`), ...messages.slice(1)];
  }
  return [new SystemMessage(PROMPT_PADDING), ...messages];
}

/**
 * The model, padding every prompt of a turn that asks for `cost=prompt-bloat`. The padding goes
 * in before LangChain starts the call, so the LLM span records the padded messages and the
 * token counts and cost follow from them, as with a real prompt regression. Both entry points
 * are wrapped: `invoke` (structured output, tool calling) and `_streamIterator` (`stream`), and
 * so is every model `withConfig` derives (ChatOpenAI's `bindTools` makes a new model that way).
 * Only a server armed for fault injection wraps its model.
 */
export function withPromptBloat<M extends BaseChatModel>(model: M): M {
  const invoke = model.invoke.bind(model);
  const streamIterator = model._streamIterator.bind(model);
  const pad = (input: BaseLanguageModelInput) => (activeFaults()?.promptBloat ? bloatPrompt(input) : input);
  model.invoke = (input, options) => invoke(pad(input), options);
  model._streamIterator = (input, options) => streamIterator(pad(input), options);
  const withConfig = model.withConfig.bind(model);
  model.withConfig = (config) => {
    const derived = withConfig(config);
    return derived instanceof BaseChatModel ? withPromptBloat(derived) : derived;
  };
  return model;
}
