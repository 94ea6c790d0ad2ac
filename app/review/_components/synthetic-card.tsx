"use client";

import type { Decision } from "./use-review-api";
import { ExpectationForm, acceptEdits, draftFrom } from "./expectation-form";
import type { DatasetExample } from "./review-types";

/** An unreviewed synthetic example: generated from a chunk, so its facts need a human check. */
export function SyntheticCard({
  example: e,
  onDecide,
}: {
  example: DatasetExample;
  onDecide: (d: Decision, label: string) => Promise<void>;
}) {
  const base = { target: "synthetic", itemId: e.id };
  return (
    <article className="candidate synthetic" aria-label={`Synthetic ${e.input.message}`}>
      <header>
        <span className="trace">
          synthetic <code>{e.id}</code> · {e.tags.join(", ")}
        </span>
      </header>
      <ExpectationForm
        initial={draftFrom(e.input.message, e.expected)}
        onAccept={(value) =>
          void onDecide({ ...base, decision: "accept", ...acceptEdits(e.input.message, value) }, `Accepted: ${e.input.message}`)
        }
        onReject={() => void onDecide({ ...base, decision: "reject" }, `Rejected: ${e.input.message}`)}
      />
    </article>
  );
}
