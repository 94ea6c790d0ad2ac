"use client";

import { useState } from "react";
import { appErrorOf } from "../_lib/api-error";

type State =
  | { kind: "idle" }
  | { kind: "commenting"; score: 0 | 1 }
  | { kind: "sending" }
  | { kind: "sent"; score: 0 | 1 }
  | { kind: "failed"; message: string };

const THUMBS = [
  { score: 1, label: "Good answer", emoji: "👍" },
  { score: 0, label: "Bad answer", emoji: "👎" },
] as const;

/** Thumbs up/down on one answer, with an optional comment; posts to /api/feedback. */
export function FeedbackButtons({ traceId }: { traceId: string }) {
  const [state, setState] = useState<State>({ kind: "idle" });
  const [comment, setComment] = useState("");

  async function send(score: 0 | 1) {
    setState({ kind: "sending" });
    try {
      const response = await fetch("/api/feedback", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ traceId, score, ...(comment.trim() ? { comment: comment.trim() } : {}) }),
      });
      if (!response.ok) throw new Error((await appErrorOf(response))?.message ?? `HTTP ${response.status}`);
      setState({ kind: "sent", score });
    } catch (error) {
      setState({ kind: "failed", message: error instanceof Error ? error.message : String(error) });
    }
  }

  if (state.kind === "sent") {
    return <span className="feedback-done">{state.score === 1 ? "👍" : "👎"} Thanks for the feedback</span>;
  }
  if (state.kind === "commenting") {
    return (
      <form
        className="feedback-comment"
        onSubmit={(e) => {
          e.preventDefault();
          void send(state.score);
        }}
      >
        <input
          aria-label="Feedback comment (optional)"
          placeholder="What was good or wrong? (optional)"
          maxLength={2000}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          autoFocus
        />
        <button type="submit">Send {state.score === 1 ? "👍" : "👎"}</button>
      </form>
    );
  }
  return (
    <span className="feedback">
      {THUMBS.map(({ score, label, emoji }) => (
        <button
          key={score}
          type="button"
          aria-label={label}
          disabled={state.kind === "sending"}
          onClick={() => setState({ kind: "commenting", score })}
        >
          {emoji}
        </button>
      ))}
      {state.kind === "failed" && (
        <span className="error" role="alert">
          Feedback not saved: {state.message}
        </span>
      )}
    </span>
  );
}
