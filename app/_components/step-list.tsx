"use client";

import type { AgentStep } from "@/agents/contract";

function describe(step: AgentStep): string {
  switch (step.type) {
    case "route":
      return `Route: ${step.route}`;
    case "tool_start":
      return `Calling ${step.tool}(${JSON.stringify(step.input)})`;
    case "tool_end":
      return step.error ? `${step.tool} failed: ${step.error.message}` : `${step.tool} finished in ${step.ms} ms`;
  }
}

export function StepList({ steps }: { steps: AgentStep[] }) {
  return (
    <details className="steps">
      <summary>Steps ({steps.length})</summary>
      <ol aria-label="Agent steps">
        {steps.map((step, i) => (
          <li key={i} className={step.type === "tool_end" && step.error ? "step-error" : undefined}>
            {describe(step)}
            {step.type === "tool_end" && step.output && (
              <details>
                <summary>output</summary>
                <pre>{step.output}</pre>
              </details>
            )}
          </li>
        ))}
      </ol>
    </details>
  );
}
