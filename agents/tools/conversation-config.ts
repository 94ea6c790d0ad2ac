import type { RunnableConfig } from "@langchain/core/runnables";
import { z } from "zod";
import type { Turn } from "@/lib/sessions/session-store";

/**
 * The conversation so far reaches a tool through its run's `configurable`, never through its
 * arguments: arguments are shown to the client as step inputs and recorded on spans, and the
 * history is the session's, not the request's. (LangChain copies only primitive configurable
 * values into run metadata, so an array of turns stays out of traces too.)
 */
const conversationSchema = z.array(z.object({ user: z.string(), assistant: z.string() }));

export function withConversation(history: readonly Turn[]): Pick<RunnableConfig, "configurable"> {
  return { configurable: { conversation: history } };
}

/** The turns a tool run was given, or none (a tool called on its own, as in tests). */
export function conversationOf(config: RunnableConfig | undefined): Turn[] {
  const parsed = conversationSchema.safeParse((config?.configurable as { conversation?: unknown } | undefined)?.conversation);
  return parsed.success ? parsed.data : [];
}
