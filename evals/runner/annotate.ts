import { annotateWhenIngested } from "@/lib/telemetry/annotate-when-ingested";
import type { PhoenixClient } from "@/lib/telemetry/phoenix-client";
import type { SpanAnnotationInput } from "@/lib/telemetry/phoenix-rest-schemas";
import type { TraceStore } from "@/lib/telemetry/trace-log/trace-store";
import type { ExampleResult } from "./types";

/**
 * Attaches every score to its example's trace: in the trace log always, and on the root span
 * in Phoenix (annotator kind LLM or CODE) when Phoenix is up. Returns how many annotations
 * reached Phoenix; Phoenix trouble is reported, never fatal to the run.
 */
export async function annotateTraces(
  examples: ExampleResult[],
  options: {
    runId: string;
    traceLog: Pick<TraceStore, "rootSpan" | "addAnnotation">;
    phoenix?: PhoenixClient;
    flush: () => Promise<void>;
    warn?: (m: string) => void;
  },
): Promise<{ logged: number; phoenix: number }> {
  const forPhoenix: SpanAnnotationInput[] = [];
  let logged = 0;
  for (const example of examples) {
    if (!example.traceId) continue;
    const root = await options.traceLog.rootSpan(example.traceId);
    if (!root) continue;
    for (const [name, score] of Object.entries(example.scores)) {
      const explanation = score.explanation.slice(0, 2_000);
      await options.traceLog.addAnnotation({
        traceId: example.traceId,
        name,
        annotatorKind: score.kind,
        label: score.label.slice(0, 200),
        score: score.score,
        explanation,
        runId: options.runId,
        metadata: { example_id: example.exampleId, dataset: example.dataset },
      });
      logged++;
      forPhoenix.push({
        spanId: root.spanId,
        name,
        annotatorKind: score.kind,
        label: score.label,
        score: score.score,
        explanation,
        metadata: { eval_run_id: options.runId, example_id: example.exampleId },
        identifier: options.runId,
      });
    }
  }
  if (!options.phoenix || forPhoenix.length === 0) return { logged, phoenix: 0 };
  await options.flush();
  let sent = 0;
  for (let i = 0; i < forPhoenix.length; i += 200) {
    const batch = forPhoenix.slice(i, i + 200);
    try {
      await annotateWhenIngested(options.phoenix, batch);
      sent += batch.length;
    } catch (error) {
      (options.warn ?? console.warn)(`[eval] scores not sent to Phoenix (they are in the trace log): ${(error as Error).message}`);
      return { logged, phoenix: sent };
    }
  }
  return { logged, phoenix: sent };
}
