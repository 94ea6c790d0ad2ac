"use client";

import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from "react";
import { MessageView } from "./message-view";
import { useChat } from "./use-chat";

const EXAMPLES = [
  "What were Q3 sales for ACME Corp?",
  "How long do I have to return a product?",
  "Which sales channel grew the most in 2025?",
  "What does the ACME Care plan cover?",
];

export function Chat() {
  const { messages, busy, send, stop } = useChat();
  const [draft, setDraft] = useState("");
  const logEnd = useRef<HTMLDivElement>(null);

  useEffect(() => {
    logEnd.current?.scrollIntoView({ block: "end" });
  }, [messages]);

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (busy || !draft.trim()) return;
    void send(draft);
    setDraft("");
  };

  // Enter sends; Shift+Enter keeps the newline. IME composition must not send.
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) submit(event);
  };

  return (
    <section className="chat" aria-label="Chat">
      <div className="log" role="log" aria-live="polite" aria-label="Conversation">
        {messages.length === 0 ? (
          <div className="empty">
            <p>Ask about ACME products, prices, policies, sales figures, support or the HR handbook.</p>
            <ul aria-label="Example questions">
              {EXAMPLES.map((example) => (
                <li key={example}>
                  <button type="button" onClick={() => void send(example)} disabled={busy}>
                    {example}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        ) : (
          messages.map((message) => <MessageView key={message.id} message={message} />)
        )}
        <div ref={logEnd} />
      </div>
      <form className="composer" onSubmit={submit}>
        <textarea
          aria-label="Message"
          placeholder="Ask a question (Enter to send, Shift+Enter for a new line)"
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={onKeyDown}
          rows={2}
          maxLength={4000}
        />
        {busy ? (
          <button type="button" onClick={stop} className="stop">
            Stop
          </button>
        ) : (
          <button type="submit" disabled={!draft.trim()}>
            Send
          </button>
        )}
      </form>
    </section>
  );
}
