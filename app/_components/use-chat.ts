"use client";

import { useCallback, useRef, useState } from "react";
import type { AgentStep, ChatEvent, Source } from "@/agents/contract";
import { SseParser } from "@/lib/http/sse";
import { appErrorOf, type ShownError } from "../_lib/api-error";

export interface ChatMessage {
  id: string;
  role: "user" | "assistant";
  text: string;
  sources: Source[];
  steps: AgentStep[];
  traceId?: string;
  /** The trace's page in Phoenix, when the server exports there. */
  traceUrl?: string;
  error?: ShownError;
  pending: boolean;
}

function newId(): string {
  return typeof crypto.randomUUID === "function" ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
}

/** One streamed event folded into the answer it belongs to. */
function withEvent(m: ChatMessage, event: ChatEvent): ChatMessage {
  switch (event.type) {
    case "token":
      return { ...m, text: m.text + event.text };
    case "sources":
      return { ...m, sources: event.sources };
    case "step":
      return { ...m, steps: [...m.steps, event.step] };
    case "trace":
      return { ...m, traceId: event.traceId, traceUrl: event.url };
    case "error":
      return { ...m, error: { code: event.code, message: event.message } };
    case "done":
      return { ...m, pending: false };
    default:
      // An event this page does not know (from a newer server): the answer stays as it is.
      return m;
  }
}

/** The server answered with an error instead of a stream. */
class ChatRequestError extends Error {
  constructor(readonly shown: ShownError) {
    super(shown.message);
  }
}

/** POSTs the message to /api/chat and hands each event of the answer's stream to `onEvent`. */
async function streamChat(body: { message: string; sessionId?: string }, signal: AbortSignal, onEvent: (event: ChatEvent) => void) {
  const response = await fetch("/api/chat", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify(body),
    signal,
  });
  if (!response.ok || !response.body) {
    throw new ChatRequestError((await appErrorOf(response)) ?? { code: "http_error", message: `HTTP ${response.status}` });
  }
  const parser = new SseParser();
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    for (const event of parser.push(decoder.decode(value, { stream: true }))) onEvent(event as ChatEvent);
  }
}

function failureOf(error: unknown): ShownError {
  if (error instanceof ChatRequestError) return error.shown;
  // fetch() rejects with a TypeError when the server cannot be reached at all.
  return { code: "network_error", message: "Could not reach the server. Check that it is running, then try again." };
}

/** Chat state plus the streaming request; the session is the one the server issued with the first answer (one per page load). */
export function useChat() {
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [busy, setBusy] = useState(false);
  const sessionId = useRef<string | undefined>(undefined);
  const controller = useRef<AbortController | null>(null);

  const update = useCallback((id: string, change: (m: ChatMessage) => ChatMessage) => {
    setMessages((all) => all.map((m) => (m.id === id ? change(m) : m)));
  }, []);

  const send = useCallback(
    async (text: string) => {
      const message = text.trim();
      if (!message || controller.current) return;
      const assistantId = newId();
      setMessages((all) => [
        ...all,
        { id: newId(), role: "user", text: message, sources: [], steps: [], pending: false },
        { id: assistantId, role: "assistant", text: "", sources: [], steps: [], pending: true },
      ]);
      const abort = new AbortController();
      controller.current = abort;
      setBusy(true);
      try {
        await streamChat({ message, ...(sessionId.current ? { sessionId: sessionId.current } : {}) }, abort.signal, (event) => {
          if (event.type === "trace") sessionId.current = event.sessionId;
          update(assistantId, (m) => withEvent(m, event));
        });
      } catch (error) {
        if (abort.signal.aborted) update(assistantId, (m) => ({ ...m, text: m.text || "(stopped)" }));
        else update(assistantId, (m) => ({ ...m, error: failureOf(error) }));
      } finally {
        update(assistantId, (m) => ({ ...m, pending: false }));
        controller.current = null;
        setBusy(false);
      }
    },
    [update],
  );

  const stop = useCallback(() => controller.current?.abort(), []);

  return { messages, busy, send, stop };
}
