import type { Turn } from "@/lib/sessions/session-store";

const FOLLOW_UP = /^(?:and|what about|how about|how does (?:that|it|this)|same|compare|vs\.?|versus|and what|what of)\b/i;

/** A message that leans on the previous turn: routed (and its arguments read) together with the previous question. */
export function isFollowUp(message: string, history: Turn[]): boolean {
  if (history.length === 0) return false;
  const words = message.trim().split(/\s+/).length;
  return FOLLOW_UP.test(message.trim()) || words <= 4 || /\b(?:that|it|those|them|the other one)\b/i.test(message);
}

/** The previous question and the message, as the router embeds a follow-up. */
export function withPreviousQuestion(message: string, history: Turn[]): string {
  return `${history.at(-1)?.user ?? ""}\n${message}`;
}
