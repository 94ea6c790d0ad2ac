import type { BaseMessage, MessageContent } from "@langchain/core/messages";
import type { ChatHistoryItem } from "node-llama-cpp";

/** The text of a message's content: strings as is, text blocks joined, other blocks (images…) ignored. */
export function contentText(content: MessageContent): string {
  if (typeof content === "string") return content;
  return content
    .map((block) => {
      if (typeof block === "string") return block;
      if (block.type === "text" && "text" in block && typeof block.text === "string") return block.text;
      return "";
    })
    .join("");
}

export function messageText(message: BaseMessage): string {
  return contentText(message.content);
}

/**
 * Maps LangChain messages to node-llama-cpp chat history and appends the empty model turn
 * that generation fills in. system → system, human → user, ai → model; tool results become
 * user turns (small local models have no tool role). A trailing AI message is treated as a
 * prefix the model continues.
 */
export function toLlamaChatHistory(messages: BaseMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  for (const message of messages) {
    const text = messageText(message);
    switch (message.getType()) {
      case "system":
      case "developer":
        history.push({ type: "system", text });
        break;
      case "human":
      case "generic":
        history.push({ type: "user", text });
        break;
      case "ai":
        history.push({ type: "model", response: [text] });
        break;
      case "tool":
      case "function": {
        const name = message.name ? ` ${message.name}` : "";
        history.push({ type: "user", text: `Tool result${name}:\n${text}` });
        break;
      }
      default:
        history.push({ type: "user", text });
    }
  }
  const last = history.at(-1);
  if (last?.type !== "model") history.push({ type: "model", response: [] });
  return history;
}
