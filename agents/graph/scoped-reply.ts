import type { OutOfScopeKind } from "../router/semantic-router";

/**
 * The reply to a message no route is for, assembled in code: a greeting, thanks or a goodbye
 * gets a short answer in kind that says what the assistant does; a question outside ACME gets
 * a polite statement of scope. Never the model's: SmolLM2-135M answered "what is the capital of
 * France?" from general knowledge and a greeting with a clarifying question about documents.
 * The off-topic reply declines in words the abstention check recognises ("can't answer").
 */

const SCOPE = "ACME Corp's products and prices, policies, support procedures, the employee handbook and sales figures";
const TOOLS = "I can also do calculations and run JavaScript";

const THANKS = /\b(?:thanks|thank(?:s| you)|thx|ty|cheers|appreciated?)\b/i;
const GOODBYE = /\b(?:bye|goodbye|see you|good night|that's all|that is all)\b/i;

export function scopedReply(kind: OutOfScopeKind, message: string): string {
  if (kind === "off_topic") return `Sorry, I can't answer that: I only answer questions about ${SCOPE}. ${TOOLS}.`;
  if (GOODBYE.test(message)) return "Goodbye! Come back any time you have a question about ACME Corp.";
  if (THANKS.test(message)) return `You're welcome! Ask me anything else about ${SCOPE}.`;
  return `Hello! I'm ACME Corp's assistant: I answer questions about ${SCOPE}. ${TOOLS}. What would you like to know?`;
}
