import { SemanticConventions as SC } from "@arizeai/openinference-semantic-conventions";
import type { ExportedTrace } from "@/lib/curation/trace-export";
import type { TraceStore } from "@/lib/telemetry/trace-log/trace-store";
import type { SelectedExample } from "./select-examples";
import type { ExampleResult } from "./types";

/** A rated answer: what the agent said and the user's latest 👍 (true) or 👎 (false) on it. */
interface RatedAnswer {
  answer: string;
  thumbsUp: boolean;
}

function ratedInExport(trace: ExportedTrace | undefined): RatedAnswer | undefined {
  const latest = trace?.feedback?.at(-1);
  const root = trace?.spans.find((s) => s.parentSpanId === null);
  if (!latest || !root) return undefined;
  const output = root.attributes[SC.OUTPUT_VALUE];
  return { answer: typeof output === "string" ? output.trim() : "", thumbsUp: latest.score === 1 };
}

type FeedbackLog = Pick<TraceStore, "rootSpan" | "feedbackFor">;

async function ratedInLog(log: FeedbackLog | undefined, traceId: string): Promise<RatedAnswer | undefined> {
  const root = await log?.rootSpan(traceId);
  const latest = (await log?.feedbackFor(traceId))?.at(-1);
  if (!root || !latest) return undefined;
  return { answer: String(root.attributes[SC.OUTPUT_VALUE] ?? "").trim(), thumbsUp: latest.score === 1 };
}

/**
 * The users' 👍/👎 on production items, where it applies to the answer this run scored: the
 * item's source trace carries feedback (in this trace log, which may hold later ratings, else
 * in the dataset's trace export, written when the item was accepted) and its answer is the one
 * the agent gave again. (A different answer was never rated.) Example id → true for 👍.
 */
export async function productionFeedback(
  selected: readonly SelectedExample[],
  examples: readonly ExampleResult[],
  exported: readonly ExportedTrace[],
  log?: FeedbackLog,
): Promise<Map<string, boolean>> {
  const answers = new Map(examples.map((e) => [e.exampleId, e.answer.trim()]));
  const exports = new Map(exported.map((t) => [t.traceId, t]));
  const feedback = new Map<string, boolean>();
  for (const { dataset, example } of selected) {
    if (dataset !== "production" || !example.traceId) continue;
    const rated = (await ratedInLog(log, example.traceId)) ?? ratedInExport(exports.get(example.traceId));
    if (rated && rated.answer === answers.get(example.id)) feedback.set(example.id, rated.thumbsUp);
  }
  return feedback;
}
