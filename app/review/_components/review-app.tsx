"use client";

import { useState } from "react";
import { CandidateCard } from "./candidate-card";
import { SyntheticCard } from "./synthetic-card";
import { useReviewApi } from "./use-review-api";

export function ReviewApp() {
  const { token, setToken, listing, error, notice, decide } = useReviewApi();
  const [draft, setDraft] = useState("");

  if (!token) {
    return (
      <form
        className="review-login"
        onSubmit={(event) => {
          event.preventDefault();
          if (draft.trim()) setToken(draft.trim());
        }}
      >
        <label>
          Admin token <input type="password" name="token" value={draft} onChange={(e) => setDraft(e.target.value)} autoComplete="off" />
        </label>
        <button type="submit">Open review</button>
        {error && (
          <p className="error" role="alert">
            {error.message}
          </p>
        )}
      </form>
    );
  }

  return (
    <div className="review">
      <div className="review-bar">
        {listing && (
          <span className="review-counts">
            {listing.counts.pending} pending · {listing.counts.accepted} accepted · {listing.counts.rejected} rejected ·{" "}
            {listing.counts.synthetic} synthetic to review
          </span>
        )}
        <button type="button" onClick={() => setToken(null)}>
          Sign out
        </button>
      </div>
      {notice && (
        <p className="review-notice" role="status">
          {notice}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error.code}: {error.message}
        </p>
      )}
      {listing && listing.candidates.length === 0 && listing.synthetic.length === 0 && (
        <p className="thinking">
          Nothing to review. Run <code>npm run traffic</code> and <code>npm run curate</code>.
        </p>
      )}
      {listing?.candidates.map((candidate) => (
        <CandidateCard key={candidate.id} candidate={candidate} onDecide={decide} />
      ))}
      {listing && listing.synthetic.length > 0 && <h2 className="review-section">Synthetic examples</h2>}
      {listing?.synthetic.map((example) => (
        <SyntheticCard key={example.id} example={example} onDecide={decide} />
      ))}
    </div>
  );
}
