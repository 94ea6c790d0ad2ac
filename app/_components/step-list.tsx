"use client";

import type { AgentStep } from "@/agents/contract";

const CHECK_VERDICTS = {
  supported: "every figure and name found",
  repaired: "unsupported text replaced by the quoted evidence",
  abstained: "the documents do not answer this",
} as const;

function describe(step: AgentStep): string {
  switch (step.type) {
    case "route": {
      if (step.scope) return `No tool: ${step.scope === "small_talk" ? "small talk" : "outside ACME's topics"}`;
      const confidence = step.confidence === undefined ? "" : ` (confidence ${step.confidence.toFixed(2)})`;
      return `Route: ${step.route}${confidence}`;
    }
    case "tool_start":
      return `Calling ${step.tool}(${JSON.stringify(step.input)})`;
    case "tool_end":
      return step.error ? `${step.tool} failed: ${step.error.message}` : `${step.tool} finished in ${step.ms} ms`;
    case "answer_check":
      return `Answer checked against the sources: ${CHECK_VERDICTS[step.verdict]}`;
  }
}

/** The agent's steps as they arrive: visible while it works, outputs folded away. */
export function StepList({ steps }: { steps: AgentStep[] }) {
  return (
    <section className="steps" aria-label="Agent steps">
      <ol>
        {steps.map((step, i) => (
          <li key={i} className={step.type === "tool_end" && step.error ? "step-error" : undefined}>
            {describe(step)}
            {step.type === "route" && <span className="step-reason"> {step.reason}</span>}
            {step.type === "tool_end" && step.output && (
              <details>
                <summary>output</summary>
                <pre>{step.output}</pre>
              </details>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
