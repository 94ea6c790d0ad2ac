import type { AgentDeps } from "@/agents/graph/types";
import { SemanticConventions } from "@arizeai/openinference-semantic-conventions";
import { ioAttributes, OpenInferenceSpanKind, withSpan } from "@/lib/telemetry/spans";
import type { TracingPipeline } from "@/lib/telemetry/tracing-pipeline";
import { evaluateCase } from "../evaluators";
import type { EvalContext, Evaluator } from "../evaluators/types";
import { mapPool } from "../map-pool";
import { runExample } from "./run-example";
import type { SelectedExample } from "./select-examples";
import type { ExampleResult } from "./types";

export interface RunEvalOptions {
  runId: string;
  evaluators: readonly Evaluator[];
  judge: EvalContext["judge"];
  /** Examples in flight at once (the local model serialises anyway: 1 is right for it). */
  concurrency: number;
  tracing?: TracingPipeline;
  signal?: AbortSignal;
  /** Called after each example with how many are done. */
  onProgress?: (done: number, example: ExampleResult) => void;
}

/** Replays every selected example through the agent and scores it; results keep the input order. */
export function runEval(selected: SelectedExample[], deps: AgentDeps, options: RunEvalOptions): Promise<ExampleResult[]> {
  let done = 0;
  return mapPool(selected, options.concurrency, async (example) => {
    const { evalCase, result } = await runExample(example, deps, options);
    const scores: ExampleResult["scores"] = {};
    if (!result.error) {
      // One EVALUATOR trace per example, so the judge's LLM calls are grouped and tagged as
      // eval traffic instead of each becoming a trace of its own.
      const named = await withSpan(
        "evaluate",
        {
          kind: OpenInferenceSpanKind.EVALUATOR,
          root: true,
          attributes: {
            [SemanticConventions.TAG_TAGS]: ["eval", `eval-run:${options.runId}`, `example:${result.exampleId}`],
            [SemanticConventions.METADATA]: JSON.stringify({
              eval_run_id: options.runId,
              example_id: result.exampleId,
              trace_id: result.traceId ?? null,
            }),
            ...ioAttributes("input", { question: result.input, answer: result.answer }),
          },
        },
        async (span) => {
          const scored = await evaluateCase(evalCase, options.evaluators, {
            judge: options.judge,
            embedder: deps.embedder,
            signal: options.signal,
          });
          span.setAttributes(ioAttributes("output", Object.fromEntries(scored.map((s) => [s.evaluator, s.score]))));
          return scored;
        },
      );
      for (const { evaluator, ...score } of named) scores[evaluator] = score;
    }
    const finished: ExampleResult = { ...result, scores };
    options.onProgress?.(++done, finished);
    return finished;
  });
}
