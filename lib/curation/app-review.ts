import path from "node:path";
import type { AppConfig } from "../config";
import { AppError } from "../errors";
import { toMirroredExample } from "../datasets/phoenix-mirror";
import type { DatasetExample } from "../datasets/dataset-example";
import { PhoenixExperiments } from "../telemetry/phoenix-experiments";
import { TraceLogReader } from "../telemetry/trace-log/trace-reader";
import type { TracingPipeline } from "../telemetry/tracing-pipeline";
import { openReviewQueue } from "./review-queue-backend";
import type { ReviewStore } from "./review-service";
import { TRACE_EXPORT_SUFFIX, readTraceExport, rootSpanIdsOf } from "./trace-export";

/** The review store the app serves: the queue (file, or PostgreSQL with DATABASE_URL), the dataset files, traces from the trace log. */
export function appReviewStore(config: AppConfig, tracing: TracingPipeline | undefined): ReviewStore {
  if (!tracing) throw new AppError("tracing_off", "Tracing is off (TRACING=off): there is no trace log to review from");
  return {
    queuePath: config.curation.reviewQueuePath,
    queue: openReviewQueue(config, config.curation.reviewQueuePath),
    datasetsDir: config.curation.datasetsDir,
    traces: new TraceLogReader(tracing.traceLog),
  };
}

/**
 * Mirrors the production dataset to Phoenix (`<project>/production`), each example linked to
 * the root span of its trace. Best effort, after the response: the JSONL file is the dataset;
 * Phoenix is where people look at it.
 */
export async function mirrorProductionToPhoenix(
  production: readonly DatasetExample[],
  config: AppConfig,
  tracing: TracingPipeline,
  warn: (message: string) => void = (m) => console.warn(m),
): Promise<boolean> {
  if (!tracing.phoenix || production.length === 0) return false;
  try {
    if (!(await tracing.phoenix.health())) return false;
    const rootSpanIds = rootSpanIdsOf(readTraceExport(path.join(config.curation.datasetsDir, `production${TRACE_EXPORT_SUFFIX}`)));
    const api = new PhoenixExperiments({
      baseUrl: config.tracing.phoenix.endpoint,
      apiKey: config.tracing.phoenix.apiKey,
      timeoutMs: 30_000,
    });
    await api.upsertDataset(
      `${config.tracing.phoenix.projectName}/production`,
      production.map((e) => toMirroredExample(e, rootSpanIds)),
      "evals/datasets/production.jsonl (reviewed at /review)",
    );
    return true;
  } catch (error) {
    warn(`[review] production dataset not mirrored to Phoenix (the JSONL file has it): ${(error as Error).message}`);
    return false;
  }
}
