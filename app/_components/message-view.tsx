"use client";

import type { ChatMessage } from "./use-chat";
import { FeedbackButtons } from "./feedback-buttons";
import { SourceList } from "./source-list";
import { StepList } from "./step-list";

export function MessageView({ message }: { message: ChatMessage }) {
  const label = message.role === "user" ? "Your message" : "Assistant message";
  return (
    <article className={`message ${message.role}`} aria-label={label} aria-busy={message.pending}>
      {message.role === "assistant" && message.steps.length > 0 && <StepList steps={message.steps} />}
      {message.text ? (
        <div className="text" data-testid={message.role === "assistant" ? "answer" : undefined}>
          {message.text}
        </div>
      ) : (
        message.pending && <div className="thinking">Thinking…</div>
      )}
      {message.error && (
        <div className="error" role="alert">
          {message.error.message} <code>{message.error.code}</code>
        </div>
      )}
      {message.sources.length > 0 && <SourceList sources={message.sources} />}
      {message.traceId && !message.pending && (
        <div className="trace">
          trace <code>{message.traceId}</code>
          {message.traceUrl && (
            <>
              {" · "}
              <a href={message.traceUrl} target="_blank" rel="noreferrer">
                View trace
              </a>
            </>
          )}
          {!message.error && <FeedbackButtons traceId={message.traceId} />}
        </div>
      )}
    </article>
  );
}
