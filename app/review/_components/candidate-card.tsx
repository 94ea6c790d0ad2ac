"use client";

import type { ReactNode } from "react";
import type { OnDecide } from "./use-review-api";
import { DecisionForm } from "./expectation-form";
import type { ReviewCandidate } from "./review-types";

const pct = (n: number | null) => (n === null ? "n/a" : n.toFixed(2));

/** A collapsed, counted list: the tool calls or the retrieved chunks of a trace. */
function CountedList({ className, title, children }: { className: string; title: string; children: ReactNode[] }) {
  if (children.length === 0) return null;
  return (
    <details className={className}>
      <summary>
        {title} ({children.length})
      </summary>
      <ol>{children}</ol>
    </details>
  );
}

/** Why the trace was picked, and where to see it. */
function CandidateHeader({ c }: { c: ReviewCandidate }) {
  return (
    <header>
      <ul className="reasons">
        {c.reasons.map((r) => (
          <li key={r.code} title={r.detail}>
            <strong>{r.code}</strong> {r.detail}
          </li>
        ))}
      </ul>
      <span className="trace">
        trace <code>{c.traceId}</code>
        {c.traceUrl && (
          <>
            {" · "}
            <a href={c.traceUrl} target="_blank" rel="noreferrer">
              View trace in Phoenix
            </a>
          </>
        )}
        {" · "}
        {Math.round(c.latencyMs)} ms{c.tokens !== null && ` · ${c.tokens} tokens`}
        {c.costUsd !== null && ` · $${c.costUsd.toFixed(4)}`}
      </span>
    </header>
  );
}

/** The conversation: earlier turns, the question, the answer, and the route with its scores. */
function Conversation({ c }: { c: ReviewCandidate }) {
  return (
    <>
      {c.input.history && c.input.history.length > 0 && (
        <details className="history">
          <summary>Earlier in the session ({c.input.history.length} turns)</summary>
          {c.input.history.map((turn, i) => (
            <p key={i}>
              <strong>{turn.role}:</strong> {turn.content}
            </p>
          ))}
        </details>
      )}
      <p className="message user">
        <strong>Question:</strong> {c.input.message}
      </p>
      <p className="message assistant">
        <strong>Answer:</strong> {c.answer}
      </p>
      <p className="steps">
        Route <strong>{c.route ?? "none"}</strong> (confidence {pct(c.routeConfidence)})
        {Object.entries(c.onlineScores).map(([name, s]) => (
          <span key={name}>
            {" · "}
            {name} {pct(s.score)}
            {s.label ? ` (${s.label})` : ""}
          </span>
        ))}
      </p>
    </>
  );
}

/** What the agent did on the way: its tool calls and the chunks it retrieved. */
function AgentWork({ c }: { c: ReviewCandidate }) {
  return (
    <>
      <CountedList className="steps" title="Tool calls">
        {c.toolCalls.map((t, i) => (
          <li key={i} className={t.status === "error" ? "step-error" : undefined}>
            {t.name} <code>{t.input}</code>
            <pre>{t.output}</pre>
          </li>
        ))}
      </CountedList>
      <CountedList className="sources" title="Retrieved chunks">
        {c.retrieved.map((chunk) => (
          <li key={chunk.id}>
            <span className="source-title">{chunk.title ?? chunk.docId}</span> <span className="doc-id">{chunk.docId}</span>{" "}
            <span className="score">score {pct(chunk.score)}</span>
            <div className="chunk">{chunk.content}</div>
          </li>
        ))}
      </CountedList>
    </>
  );
}

function FeedbackGiven({ feedback }: { feedback: ReviewCandidate["feedback"] }) {
  if (feedback.length === 0) return null;
  return (
    <p className="feedback-given">
      Feedback:{" "}
      {feedback.map((f, i) => (
        <span key={i}>
          {f.score >= 1 ? "👍" : "👎"}
          {f.comment ? ` “${f.comment}”` : ""}{" "}
        </span>
      ))}
    </p>
  );
}

/** One proposed trace: what happened, why it was picked, and the reviewer's decision. */
export function CandidateCard({ candidate: c, onDecide }: { candidate: ReviewCandidate; onDecide: OnDecide }) {
  return (
    <article className="candidate" data-trace-id={c.traceId} aria-label={`Candidate ${c.input.message}`}>
      <CandidateHeader c={c} />
      <Conversation c={c} />
      <AgentWork c={c} />
      <FeedbackGiven feedback={c.feedback} />
      <DecisionForm
        message={c.input.message}
        expected={{ ...c.suggested, route: c.suggested.route ?? c.route }}
        target={{ target: "production", traceId: c.traceId }}
        onDecide={onDecide}
      />
    </article>
  );
}
