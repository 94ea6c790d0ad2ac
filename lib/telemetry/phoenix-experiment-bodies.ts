import { AppError } from "../errors";
import type { AnnotatorKind } from "./attributes";

/**
 * The JSON bodies this app sends to Phoenix's dataset and experiment endpoints (see
 * phoenix-experiments.ts for the API), checked before sending: an id Phoenix would reject or
 * misread, or a time or score it cannot store, is a `bad_request` here, not a 4xx/500 there.
 */

export type Json = Record<string, unknown>;
type Time = Date | string;
/** One dataset row; `id` is ours (the JSONL id), kept by Phoenix as the example's external id. */
export interface MirroredExample {
  id: string;
  input: Json;
  output: Json;
  metadata: Json;
  /** The span the example came from (a production trace's root): Phoenix links the example to it. */
  spanId?: string;
}
/** `traceId`: the app's OpenTelemetry trace for this example; `repetitionNumber`: 1-based, default 1. */
export interface RunInput {
  phoenixExampleId: string;
  output: Json;
  traceId?: string;
  startTime: Time;
  endTime: Time;
  error?: string;
  repetitionNumber?: number;
}
/** `error`: the evaluator failed (Phoenix needs a result or an error). */
export interface EvaluationInput {
  name: string;
  annotatorKind: AnnotatorKind;
  label?: string;
  score?: number;
  explanation?: string;
  error?: string;
  metadata?: Json;
  traceId?: string;
  startTime: Time;
  endTime: Time;
}

/** Phoenix reads an external id that decodes to "DatasetExample:<n>" as its own id and would patch that example. */
function looksLikeNodeId(id: string): boolean {
  return /^[A-Za-z0-9+/]+=*$/.test(id) && /^DatasetExample:\d+$/.test(Buffer.from(id, "base64").toString("latin1"));
}

/** The JSON body of the dataset upload; throws `bad_request` on ids Phoenix would reject or misread. */
export function buildUploadBody(name: string, examples: readonly MirroredExample[], description?: string): Json {
  if (!name.trim()) throw new AppError("bad_request", "a Phoenix dataset needs a name");
  // An empty upload would delete every example: far more likely a bad filter than intent.
  if (examples.length === 0) throw new AppError("bad_request", `no examples to upload to Phoenix dataset "${name}"`);
  const seen = new Set<string>();
  for (const { id } of examples) {
    if (!id.trim() || seen.has(id) || looksLikeNodeId(id))
      throw new AppError("bad_request", `example id "${id}" is empty, repeated or reads as a Phoenix id`);
    seen.add(id);
  }
  return {
    action: "update",
    name,
    ...(description === undefined ? {} : { description }),
    inputs: examples.map((e) => e.input),
    outputs: examples.map((e) => e.output),
    metadata: examples.map((e) => e.metadata),
    example_ids: examples.map((e) => e.id),
    ...(examples.some((e) => e.spanId) ? { span_ids: examples.map((e) => e.spanId ?? null) } : {}),
  };
}

function iso(time: Time, what: string): string {
  const date = time instanceof Date ? time : new Date(time);
  if (Number.isNaN(date.getTime())) throw new AppError("bad_request", `${what} is not a time: ${String(time)}`);
  return date.toISOString();
}

export function buildRunBody(run: RunInput): Json {
  const repetition = run.repetitionNumber ?? 1;
  if (!Number.isInteger(repetition) || repetition < 1)
    throw new AppError("bad_request", `repetitionNumber must be a positive integer, not ${repetition}`);
  return {
    dataset_example_id: run.phoenixExampleId,
    output: run.output,
    repetition_number: repetition,
    start_time: iso(run.startTime, "startTime"),
    end_time: iso(run.endTime, "endTime"),
    trace_id: run.traceId ?? null,
    error: run.error ?? null,
  };
}

export function buildEvaluationBody(runId: string, evaluation: EvaluationInput): Json {
  const { label, score, explanation, error } = evaluation;
  if (score !== undefined && !Number.isFinite(score)) throw new AppError("bad_request", `score of "${evaluation.name}" is not finite`);
  const hasResult = label !== undefined || score !== undefined || explanation !== undefined;
  if (!hasResult && error === undefined)
    throw new AppError("bad_request", `evaluation "${evaluation.name}" has neither a result nor an error`);
  return {
    experiment_run_id: runId,
    name: evaluation.name,
    annotator_kind: evaluation.annotatorKind,
    start_time: iso(evaluation.startTime, "startTime"),
    end_time: iso(evaluation.endTime, "endTime"),
    result: hasResult ? { label: label ?? null, score: score ?? null, explanation: explanation ?? null } : null,
    error: error ?? null,
    metadata: evaluation.metadata ?? {},
    trace_id: evaluation.traceId ?? null,
  };
}
