import { z } from "zod";
import type { ErrorCode } from "@/lib/errors";

/** The public contract of `POST /api/chat` (DESIGN.md): request body, stream events, JSON result. */

export const MAX_MESSAGE_CHARS = 4000;

export const chatRequestSchema = z.strictObject({
  message: z
    .string({ error: "message must be a string" })
    .trim()
    .min(1, "message must not be empty")
    .max(MAX_MESSAGE_CHARS, `message must be at most ${MAX_MESSAGE_CHARS} characters`),
  sessionId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, "sessionId must be 1-64 characters of letters, digits, '-' or '_'")
    .optional(),
});
export type ChatRequest = z.infer<typeof chatRequestSchema>;

/** A cited chunk as the client sees it. */
export interface Source {
  id: string;
  docId: string;
  title: string;
  snippet: string;
  /** Full chunk text, so the UI can expand a source without another request. */
  text: string;
  score: number;
}

export type AgentStep =
  | {
      type: "route";
      route: string;
      reason: string;
      candidates: { route: string; score: number }[];
      /** The semantic router's confidence in its top candidate (agent graph). */
      confidence?: number;
      /** Whether the chat model took part in the decision (agent graph). */
      llmConsulted?: boolean;
      /** The route the chat model chose, when it was asked (agent graph). */
      llmChoice?: string;
      /** "router", "router+llm" or "tool_calling" (agent graph). */
      method?: string;
      /** The tool calls planned, with where their arguments came from (agent graph). */
      plan?: { tool: string; argsFrom: string }[];
      /** Set when no route is for the message: small talk or a question outside ACME, answered without a tool. */
      scope?: "small_talk" | "off_topic";
    }
  | { type: "tool_start"; tool: string; input: Record<string, unknown> }
  | { type: "tool_end"; tool: string; output: string; ms: number; error?: { code: ErrorCode; message: string } }
  /**
   * The answer checked against its sources before it was shown (ANSWER_GUARDS): "supported",
   * "repaired" (unsupported figures or names replaced by quoted evidence) or "abstained" (the
   * documents cannot answer); `reason` says which signal decided.
   */
  | { type: "answer_check"; verdict: "supported" | "repaired" | "abstained"; reason: string; unsupported: number };

export type ChatEvent =
  | { type: "step"; step: AgentStep }
  | { type: "token"; text: string }
  | { type: "sources"; sources: Source[] }
  /** First event: the trace, and the session to send with the next message (the server issues it). */
  | { type: "trace"; traceId: string; url?: string; sessionId: string }
  | { type: "error"; code: ErrorCode; message: string }
  | { type: "done" };

export interface ChatResult {
  answer: string;
  sources: Source[];
  steps: AgentStep[];
  traceId: string;
  /** The trace in Phoenix, when traces are exported there. */
  traceUrl?: string;
  sessionId: string;
}
