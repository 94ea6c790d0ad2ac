import { z } from "zod";
import { AppError } from "../errors";
import {
  buildEvaluationBody,
  buildRunBody,
  buildUploadBody,
  type EvaluationInput,
  type Json,
  type MirroredExample,
  type RunInput,
} from "./phoenix-experiment-bodies";
import { PhoenixHttp, type PhoenixConnectionOptions } from "./phoenix-http";

/**
 * Phoenix datasets and experiments over its REST API (checked against arize-phoenix 20.26.1's
 * /openapi.json and behaviour), so eval runs can be compared side by side in Phoenix's UI.
 *
 * - POST /v1/datasets/upload?sync=true { action: "update", name, description, inputs[], outputs[],
 *   metadata[], example_ids[] } → { data: { dataset_id, version_id, num_created_examples,
 *   num_updated_examples, num_deleted_examples } }. "update" creates a missing dataset, else diffs
 *   by example id (Phoenix's external id) and content hash: no change → no new version (the latest
 *   version id comes back); otherwise one new version, so the dataset mirrors the upload exactly
 *   ("create" is a 409 on an existing name; "append" never deletes). `description` only applies on creation.
 * - GET /v1/datasets/{id}/examples?version_id= → { data: { examples: [{ id, node_id, … }] } }: `id` is
 *   our id, `node_id` Phoenix's, which runs need (an external id there is a 500).
 * - POST /v1/datasets/{id}/experiments { name, description, metadata, version_id } → { data: Experiment }.
 * - POST /v1/experiments/{id}/runs { dataset_example_id, output, repetition_number, start_time,
 *   end_time, trace_id, error } → { data: { id } }; a successful run cannot be replaced (409).
 * - POST /v1/experiment_evaluations { experiment_run_id, name, annotator_kind, start_time, end_time,
 *   result: { label, score, explanation } | null, error, metadata, trace_id } → { data: { id } },
 *   an upsert on (run, name) that replaces the whole earlier evaluation.
 * - Reading back: GET /v1/datasets/{id}/experiments (cursor), /v1/experiments/{id}/runs, and
 *   /v1/experiments/{id}/json (runs with their evaluations; 404 "Experiment has no runs").
 * Unknown run or experiment ids are answered 500, not 404, so errors carry status and body tail.
 */

export interface UpsertedDataset {
  datasetId: string;
  versionId: string;
  /** False when Phoenix found nothing to change and kept the latest version. */
  changed: boolean;
  counts: { created: number; updated: number; deleted: number };
  /** Our example id → Phoenix's example (node) id, as `recordRun` needs it. */
  exampleIds: Map<string, string>;
}
/** `versionId` defaults to the dataset's latest version. */
export interface ExperimentInput {
  name: string;
  description?: string;
  metadata?: Json;
  versionId?: string;
}
export interface CreatedExperiment {
  experimentId: string;
  datasetId: string;
  versionId: string;
  /** The Phoenix project that holds traces Phoenix itself records for this experiment. */
  projectName: string | null;
  /** The experiment in Phoenix's compare view. */
  url: string;
}
const json = z.record(z.string(), z.unknown());
const int = z.number().int();
const optString = z.string().nullish();
const dataId = z.object({ data: z.object({ id: z.string() }) });
const uploadSchema = z.object({
  data: z.object({
    dataset_id: z.string(),
    version_id: z.string(),
    num_created_examples: int,
    num_updated_examples: int,
    num_deleted_examples: int,
  }),
});
const examplesSchema = z.object({ data: z.object({ examples: z.array(z.object({ id: z.string(), node_id: z.string() })) }) });
const experimentSchema = z.object({
  id: z.string(),
  dataset_id: z.string(),
  dataset_version_id: z.string(),
  name: z.string(),
  created_at: z.string(),
  description: optString,
  metadata: json,
  project_name: optString,
  repetitions: int,
  example_count: int,
  successful_run_count: int,
  failed_run_count: int,
  missing_run_count: int,
});
export type PhoenixExperiment = z.infer<typeof experimentSchema>;
const runFields = { output: z.unknown(), repetition_number: int, trace_id: optString, error: optString };
const runSchema = z.object({
  ...runFields,
  id: z.string(),
  experiment_id: z.string(),
  dataset_example_id: z.string(),
  start_time: z.string(),
  end_time: z.string(),
});
export type PhoenixExperimentRun = z.infer<typeof runSchema>;
const evaluationSchema = z.object({
  name: z.string(),
  annotator_kind: z.string(),
  label: optString,
  score: z.number().nullish(),
  explanation: optString,
  error: optString,
  metadata: json.nullish(),
});
const resultSchema = z.object({ ...runFields, example_id: z.string(), annotations: z.array(evaluationSchema) });
/** One run of an experiment with its evaluations (Phoenix's JSON download). */
export type PhoenixExperimentResult = z.infer<typeof resultSchema>;

/** Phoenix answered, but not with a success; the HTTP status and the end of the body are kept. */
export class PhoenixRequestError extends AppError {
  readonly httpStatus: number;
  readonly bodyTail: string;
  constructor(what: string, httpStatus: number, body: string) {
    const bodyTail = body.trim().slice(-500);
    super("phoenix_request_failed", `Phoenix answered ${httpStatus} to ${what}: ${bodyTail}`);
    this.name = "PhoenixRequestError";
    this.httpStatus = httpStatus;
    this.bodyTail = bodyTail;
  }
}

/** UI addresses (routes of Phoenix 20's web app); `compare` lists the baseline first. */
export function phoenixUiUrls(baseUrl: string, datasetId: string) {
  const dataset = `${baseUrl.replace(/\/+$/, "")}/datasets/${encodeURIComponent(datasetId)}`;
  return {
    experiments: `${dataset}/experiments`,
    experiment: (experimentId: string) => `${dataset}/experiments/${encodeURIComponent(experimentId)}`,
    compare: (experimentIds: readonly string[]) =>
      `${dataset}/compare?${experimentIds.map((id) => `experimentId=${encodeURIComponent(id)}`).join("&")}`,
    /** An example by our own id (Phoenix redirects to it). */
    example: (ourId: string) =>
      `${baseUrl.replace(/\/+$/, "")}/redirects/datasets/${encodeURIComponent(datasetId)}/examples/${encodeURIComponent(ourId)}`,
  };
}

const path = (template: TemplateStringsArray, ...ids: string[]) =>
  template.reduce((out, part, i) => out + part + (i < ids.length ? encodeURIComponent(ids[i] ?? "") : ""), "");

export class PhoenixExperiments {
  private readonly http: PhoenixHttp;

  constructor(options: PhoenixConnectionOptions) {
    this.http = new PhoenixHttp(options);
  }

  /** Creates the dataset or brings it to exactly these examples (a new version only if something changed). */
  async upsertDataset(name: string, examples: readonly MirroredExample[], description?: string): Promise<UpsertedDataset> {
    const body = buildUploadBody(name, examples, description);
    const { data } = await this.call("POST", "/v1/datasets/upload?sync=true", uploadSchema, body);
    const listed = await this.call("GET", path`/v1/datasets/${data.dataset_id}/examples?version_id=${data.version_id}`, examplesSchema);
    const exampleIds = new Map(listed.data.examples.map((e) => [e.id, e.node_id]));
    const missing = examples.filter((e) => !exampleIds.has(e.id)).map((e) => e.id);
    if (missing.length > 0)
      throw new AppError("phoenix_request_failed", `Phoenix dataset "${name}" lacks uploaded examples ${missing.slice(0, 5).join(", ")}`);
    const counts = { created: data.num_created_examples, updated: data.num_updated_examples, deleted: data.num_deleted_examples };
    return {
      datasetId: data.dataset_id,
      versionId: data.version_id,
      changed: counts.created + counts.updated + counts.deleted > 0,
      counts,
      exampleIds,
    };
  }

  async createExperiment(datasetId: string, input: ExperimentInput): Promise<CreatedExperiment> {
    const body = {
      name: input.name,
      description: input.description ?? null,
      metadata: input.metadata ?? {},
      version_id: input.versionId ?? null,
    };
    const { data } = await this.call("POST", path`/v1/datasets/${datasetId}/experiments`, z.object({ data: experimentSchema }), body);
    const url = phoenixUiUrls(this.http.baseUrl, data.dataset_id).compare([data.id]);
    return {
      experimentId: data.id,
      datasetId: data.dataset_id,
      versionId: data.dataset_version_id,
      projectName: data.project_name ?? null,
      url,
    };
  }

  /** Records one task run; returns Phoenix's run id. */
  async recordRun(experimentId: string, run: RunInput): Promise<string> {
    return (await this.call("POST", path`/v1/experiments/${experimentId}/runs`, dataId, buildRunBody(run))).data.id;
  }

  /** Records (or replaces: same run and name) one evaluation of a run; returns its id. */
  async recordEvaluation(runId: string, evaluation: EvaluationInput): Promise<string> {
    return (await this.call("POST", "/v1/experiment_evaluations", dataId, buildEvaluationBody(runId, evaluation))).data.id;
  }

  /** The dataset's experiments, newest first, every page. */
  async listExperiments(datasetId: string): Promise<PhoenixExperiment[]> {
    const page = z.object({ data: z.array(experimentSchema), next_cursor: z.string().nullish() });
    const out: PhoenixExperiment[] = [];
    let cursor: string | null | undefined;
    do {
      const query = cursor ? path`?limit=100&cursor=${cursor}` : "?limit=100";
      const { data, next_cursor } = await this.call("GET", path`/v1/datasets/${datasetId}/experiments` + query, page);
      out.push(...data);
      cursor = next_cursor;
    } while (cursor);
    return out;
  }

  /** All runs of an experiment (Phoenix returns them in one page when no limit is given). */
  async listRuns(experimentId: string): Promise<PhoenixExperimentRun[]> {
    return (await this.call("GET", path`/v1/experiments/${experimentId}/runs`, z.object({ data: z.array(runSchema) }))).data;
  }

  /** Runs with their evaluations; [] for an experiment that has no runs yet. */
  async experimentResults(experimentId: string): Promise<PhoenixExperimentResult[]> {
    try {
      return await this.call("GET", path`/v1/experiments/${experimentId}/json`, z.array(resultSchema));
    } catch (error) {
      if (error instanceof PhoenixRequestError && error.httpStatus === 404 && /has no runs/.test(error.bodyTail)) return [];
      throw error;
    }
  }

  /** One request, zod-validated; unreachable → `phoenix_unavailable`, non-2xx → PhoenixRequestError. */
  private async call<T>(method: "GET" | "POST", route: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
    const what = `${method} ${route}`;
    const { response, text } = await this.http.exchange({ method, route, body }, async (answer) => ({
      response: answer,
      text: await answer.text(),
    }));
    if (!response.ok) throw new PhoenixRequestError(what, response.status, text);
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new AppError("phoenix_request_failed", `Phoenix sent a body that is not JSON to ${what}: ${text.slice(-200)}`, {
        cause: error,
      });
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success)
      throw new AppError("phoenix_request_failed", `unexpected answer from Phoenix to ${what}: ${z.prettifyError(parsed.error)}`, {
        cause: parsed.error,
      });
    return parsed.data;
  }
}
