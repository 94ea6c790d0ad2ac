"use client";

import type { Decision } from "./use-review-api";
import { ExpectationForm, acceptEdits, draftFrom } from "./expectation-form";
import type { ReviewCandidate } from "./review-types";

const pct = (n: number | null) => (n === null ? "n/a" : n.toFixed(2));

/** One proposed trace: what happened, why it was picked, and the reviewer's decision. */
export function CandidateCard({
  candidate: c,
  onDecide,
}: {
  candidate: ReviewCandidate;
  onDecide: (d: Decision, label: string) => Promise<void>;
}) {
  const base = { target: "production", traceId: c.traceId };
  return (
    <article className="candidate" data-trace-id={c.traceId} aria-label={`Candidate ${c.input.message}`}>
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
      {c.toolCalls.length > 0 && (
        <details className="steps">
          <summary>Tool calls ({c.toolCalls.length})</summary>
          <ol>
            {c.toolCalls.map((t, i) => (
              <li key={i} className={t.status === "error" ? "step-error" : undefined}>
                {t.name} <code>{t.input}</code>
                <pre>{t.output}</pre>
              </li>
            ))}
          </ol>
        </details>
      )}
      {c.retrieved.length > 0 && (
        <details className="sources">
          <summary>Retrieved chunks ({c.retrieved.length})</summary>
          <ol>
            {c.retrieved.map((chunk) => (
              <li key={chunk.id}>
                <span className="source-title">{chunk.title ?? chunk.docId}</span> <span className="doc-id">{chunk.docId}</span>{" "}
                <span className="score">score {pct(chunk.score)}</span>
                <div className="chunk">{chunk.content}</div>
              </li>
            ))}
          </ol>
        </details>
      )}
      {c.feedback.length > 0 && (
        <p className="feedback-given">
          Feedback:{" "}
          {c.feedback.map((f, i) => (
            <span key={i}>
              {f.score >= 1 ? "👍" : "👎"}
              {f.comment ? ` “${f.comment}”` : ""}{" "}
            </span>
          ))}
        </p>
      )}
      <ExpectationForm
        initial={draftFrom(c.input.message, { ...c.suggested, route: c.suggested.route ?? c.route })}
        onAccept={(value) =>
          void onDecide({ ...base, decision: "accept", ...acceptEdits(c.input.message, value) }, `Accepted: ${c.input.message}`)
        }
        onReject={() => void onDecide({ ...base, decision: "reject" }, `Rejected: ${c.input.message}`)}
      />
    </article>
  );
}
