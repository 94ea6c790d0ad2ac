"use client";

import { useCallback, useRef, useState } from "react";
import type { AgentStep, ChatEvent, Source } from "@/agents/contract";
import { SseParser } from "@/lib/http/sse";

export interface ChatMessage {
  id: string;
  role: "user" | "assistant";
  text: string;
  sources: Source[];
  steps: AgentStep[];
  traceId?: string;
  /** The trace's page in Phoenix, when the server exports there. */
  traceUrl?: string;
  error?: { code: string; message: string };
  pending: boolean;
}

function newId(): string {
  return typeof crypto.randomUUID === "function" ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
}

/** Chat state plus the streaming request; one session id per page load. */
export function useChat() {
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [busy, setBusy] = useState(false);
  const sessionId = useRef<string>(newId().replace(/[^A-Za-z0-9_-]/g, ""));
  const controller = useRef<AbortController | null>(null);

  const update = useCallback((id: string, change: (m: ChatMessage) => ChatMessage) => {
    setMessages((all) => all.map((m) => (m.id === id ? change(m) : m)));
  }, []);

  const apply = useCallback(
    (id: string, event: ChatEvent) => {
      switch (event.type) {
        case "token":
          update(id, (m) => ({ ...m, text: m.text + event.text }));
          break;
        case "sources":
          update(id, (m) => ({ ...m, sources: event.sources }));
          break;
        case "step":
          update(id, (m) => ({ ...m, steps: [...m.steps, event.step] }));
          break;
        case "trace":
          update(id, (m) => ({ ...m, traceId: event.traceId, traceUrl: event.url }));
          break;
        case "error":
          update(id, (m) => ({ ...m, error: { code: event.code, message: event.message } }));
          break;
        case "done":
          update(id, (m) => ({ ...m, pending: false }));
          break;
      }
    },
    [update],
  );

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
        const response = await fetch("/api/chat", {
          method: "POST",
          headers: { "content-type": "application/json", accept: "text/event-stream" },
          body: JSON.stringify({ message, sessionId: sessionId.current }),
          signal: abort.signal,
        });
        if (!response.ok || !response.body) {
          const body = (await response.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
          throw Object.assign(new Error(body?.error?.message ?? `HTTP ${response.status}`), {
            code: body?.error?.code ?? "http_error",
          });
        }
        const parser = new SseParser();
        const decoder = new TextDecoder();
        const reader = response.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          for (const event of parser.push(decoder.decode(value, { stream: true }))) apply(assistantId, event as ChatEvent);
        }
      } catch (error) {
        if (abort.signal.aborted) {
          update(assistantId, (m) => ({ ...m, text: m.text || "(stopped)" }));
        } else {
          const code = (error as { code?: string }).code;
          // fetch() rejects with a TypeError when the server cannot be reached at all.
          const failure = code
            ? { code, message: (error as Error).message }
            : { code: "network_error", message: "Could not reach the server. Check that it is running, then try again." };
          update(assistantId, (m) => ({ ...m, error: failure }));
        }
      } finally {
        update(assistantId, (m) => ({ ...m, pending: false }));
        controller.current = null;
        setBusy(false);
      }
    },
    [apply, update],
  );

  const stop = useCallback(() => controller.current?.abort(), []);

  return { messages, busy, send, stop };
}
