import { SemanticConventions as SC } from "@arizeai/openinference-semantic-conventions";
import type { TraceLog } from "@/lib/telemetry/trace-log/trace-log";
import type { SelectedExample } from "./select-examples";
import type { ExampleResult } from "./types";

/**
 * The users' 👍/👎 on production items, where it applies to the answer this run scored: the
 * item's source trace is in this trace log, has feedback, and its answer is the one the agent
 * gave again. (A different answer was never rated.) Example id → true for 👍.
 */
export function productionFeedback(
  selected: readonly SelectedExample[],
  examples: readonly ExampleResult[],
  log: TraceLog,
): Map<string, boolean> {
  const answers = new Map(examples.map((e) => [e.exampleId, e.answer.trim()]));
  const feedback = new Map<string, boolean>();
  for (const { dataset, example } of selected) {
    if (dataset !== "production" || !example.traceId) continue;
    const root = log.rootSpan(example.traceId);
    const latest = log.feedbackFor(example.traceId).at(-1);
    if (!root || !latest || String(root.attributes[SC.OUTPUT_VALUE] ?? "").trim() !== answers.get(example.id)) continue;
    feedback.set(example.id, latest.score === 1);
  }
  return feedback;
}
