"use client";

import type { OnDecide } from "./use-review-api";
import { DecisionForm } from "./expectation-form";
import type { DatasetExample } from "./review-types";

/** An unreviewed synthetic example: generated from a chunk, so its facts need a human check. */
export function SyntheticCard({ example: e, onDecide }: { example: DatasetExample; onDecide: OnDecide }) {
  return (
    <article className="candidate synthetic" aria-label={`Synthetic ${e.input.message}`}>
      <header>
        <span className="trace">
          synthetic <code>{e.id}</code> · {e.tags.join(", ")}
        </span>
      </header>
      <DecisionForm message={e.input.message} expected={e.expected} target={{ target: "synthetic", itemId: e.id }} onDecide={onDecide} />
    </article>
  );
}
