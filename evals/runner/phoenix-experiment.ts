import path from "node:path";
import type { AppConfig } from "@/lib/config";
import type { PhoenixClient } from "@/lib/telemetry/phoenix-client";
import { PhoenixExperiments } from "@/lib/telemetry/phoenix-experiments";
import { toMirroredExample } from "@/lib/datasets/phoenix-mirror";
import { rootSpanIdsOf, readTraceExport, TRACE_EXPORT_SUFFIX } from "@/lib/curation/trace-export";
import { loadDataset } from "@/lib/datasets/dataset-example";
import type { SelectedExample } from "./select-examples";
import type { EvalRunResult } from "./types";

/**
 * Records the run as a Phoenix experiment on a Phoenix dataset that mirrors each JSONL file
 * (`<project>/<dataset>`), one experiment per file, so runs compare side by side in Phoenix.
 * Returns the first experiment's link; undefined when Phoenix is not up. Never throws:
 * Phoenix is where people look at results, not what decides them.
 */
export async function recordExperiment(
  result: EvalRunResult,
  selected: SelectedExample[],
  phoenix: PhoenixClient,
  config: AppConfig,
  datasetsDir: string,
  warn: (m: string) => void = (m) => console.warn(m),
): Promise<{ experimentId: string; url?: string } | undefined> {
  if (!(await phoenix.health())) return undefined;
  const api = new PhoenixExperiments({
    baseUrl: config.tracing.phoenix.endpoint,
    apiKey: config.tracing.phoenix.apiKey,
    timeoutMs: 30_000,
  });
  let first: { experimentId: string; url?: string } | undefined;
  try {
    for (const dataset of [...new Set(selected.map((s) => s.dataset))]) {
      const all = loadDataset(path.join(datasetsDir, `${dataset}.jsonl`));
      const rootSpanIds = rootSpanIdsOf(readTraceExport(path.join(datasetsDir, `${dataset}${TRACE_EXPORT_SUFFIX}`)));
      const mirrored = all.map((example) => toMirroredExample(example, rootSpanIds));
      const upserted = await api.upsertDataset(
        `${config.tracing.phoenix.projectName}/${dataset}`,
        mirrored,
        `evals/datasets/${dataset}.jsonl`,
      );
      const experiment = await api.createExperiment(upserted.datasetId, {
        name: result.runId,
        description: `npm run eval (${result.settings.model}, judge ${result.settings.judge})`,
        metadata: { ...result.settings, runId: result.runId },
        versionId: upserted.versionId,
      });
      first ??= { experimentId: experiment.experimentId, url: experiment.url };
      for (const example of result.examples.filter((e) => e.dataset === dataset)) {
        const phoenixExampleId = upserted.exampleIds.get(example.exampleId);
        if (!phoenixExampleId) continue;
        const startTime = example.startedAt ?? result.startedAt;
        const endTime = new Date(Date.parse(startTime) + example.latencyMs).toISOString();
        const runId = await api.recordRun(experiment.experimentId, {
          phoenixExampleId,
          output: { answer: example.answer, ...(example.route ? { route: example.route } : {}), sources: example.sources.map((s) => s.id) },
          ...(example.traceId ? { traceId: example.traceId } : {}),
          startTime,
          endTime,
          ...(example.error ? { error: `${example.error.code}: ${example.error.message}` } : {}),
        });
        for (const [name, score] of Object.entries(example.scores)) {
          await api.recordEvaluation(runId, {
            name,
            annotatorKind: score.kind,
            label: score.label,
            ...(score.error ? { error: score.error.message } : { score: score.score }),
            explanation: score.explanation,
            startTime: endTime,
            endTime,
          });
        }
      }
    }
  } catch (error) {
    warn(`[eval] the Phoenix experiment is incomplete (scores are in the reports and the trace log): ${(error as Error).message}`);
  }
  return first;
}
