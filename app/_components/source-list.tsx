"use client";

import type { Source } from "@/agents/contract";

export function SourceList({ sources }: { sources: Source[] }) {
  return (
    <section className="sources" aria-label="Sources">
      <h2>Sources</h2>
      <ol>
        {sources.map((source) => (
          <li key={source.id}>
            <details>
              <summary>
                <span className="source-title">{source.title}</span>{" "}
                <span className="score" title="cosine similarity">
                  {source.score.toFixed(2)}
                </span>
                <span className="snippet">{source.snippet}</span>
              </summary>
              <pre className="chunk">{source.text}</pre>
              <p className="doc-id">
                {source.docId} · chunk {source.id}
              </p>
            </details>
          </li>
        ))}
      </ol>
    </section>
  );
}
