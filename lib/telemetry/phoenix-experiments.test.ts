import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { buildEvaluationBody, buildRunBody, buildUploadBody, type MirroredExample } from "./phoenix-experiment-bodies";
import { PhoenixExperiments, PhoenixRequestError, phoenixUiUrls } from "./phoenix-experiments";

// Ids and bodies below are what arize-phoenix 20.26.1 returns (global ids are base64 "Type:n").
const DATASET = "RGF0YXNldDox";
const VERSION = "RGF0YXNldFZlcnNpb246MQ==";
const EXPERIMENT = "RXhwZXJpbWVudDox";
const experiment = {
  id: EXPERIMENT,
  dataset_id: DATASET,
  dataset_version_id: VERSION,
  name: "run-1",
  description: null,
  repetitions: 1,
  metadata: { commit: "abc" },
  project_name: "Experiment-2f78ef0babb607fcc9743ea6",
  created_at: "2026-11-27T23:40:46+00:00",
  updated_at: "2026-11-27T23:40:46+00:00",
  example_count: 2,
  successful_run_count: 0,
  failed_run_count: 0,
  missing_run_count: 2,
};
const examples: MirroredExample[] = [
  { id: "man-001", input: { message: "a" }, output: { facts: ["x"] }, metadata: { tags: ["t"] } },
  { id: "man-002", input: { message: "b" }, output: {}, metadata: {} },
];

interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}
type Reply = { status?: number; body: unknown; raw?: boolean; delayMs?: number };

// A loopback server that records each request and answers from a queue: a protocol test
// of what goes over the wire, without Phoenix (the integration test covers the real one).
let server: http.Server;
let baseUrl: string;
let recorded: Recorded[] = [];
let replies: Reply[] = [];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      recorded.push({
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        body: text ? JSON.parse(text) : undefined,
      });
      const reply = replies.shift() ?? { status: 500, body: "no reply queued", raw: true };
      setTimeout(() => {
        response.writeHead(reply.status ?? 200, { "content-type": reply.raw ? "text/plain" : "application/json" });
        response.end(reply.raw ? String(reply.body) : JSON.stringify(reply.body));
      }, reply.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  recorded = [];
  replies = [];
});

const client = () => new PhoenixExperiments({ baseUrl: `${baseUrl}/`, apiKey: "k-1", timeoutMs: 2_000 });
const uploaded = (created: number, updated = 0, deleted = 0) => ({
  data: {
    dataset_id: DATASET,
    version_id: VERSION,
    num_created_examples: created,
    num_updated_examples: updated,
    num_deleted_examples: deleted,
  },
});
const listed = (ids: string[]) => ({
  data: {
    dataset_id: DATASET,
    version_id: VERSION,
    filtered_splits: [],
    examples: ids.map((id, i) => ({
      id,
      node_id: `node-${i + 1}`,
      input: {},
      output: {},
      metadata: {},
      updated_at: "2026-11-27T23:40:43+00:00",
      source: null,
    })),
  },
});

describe("request bodies", () => {
  it("mirrors examples column-wise with our ids as Phoenix external ids", () => {
    expect(buildUploadBody("evals", examples, "d")).toEqual({
      action: "update",
      name: "evals",
      description: "d",
      inputs: [{ message: "a" }, { message: "b" }],
      outputs: [{ facts: ["x"] }, {}],
      metadata: [{ tags: ["t"] }, {}],
      example_ids: ["man-001", "man-002"],
    });
    expect(buildUploadBody("evals", examples)).not.toHaveProperty("description");
    expect(buildUploadBody("evals", examples)).not.toHaveProperty("span_ids");
  });

  it("links production examples to their source spans (null where an example has none)", () => {
    const linked = [{ ...examples[0]!, spanId: "4c044eb2bdd4c0b9" }, examples[1]!];
    expect(buildUploadBody("evals", linked)).toMatchObject({ span_ids: ["4c044eb2bdd4c0b9", null] });
  });

  it("refuses uploads Phoenix would reject, misread or turn into a wipe", () => {
    const bad =
      (list: MirroredExample[], name = "evals") =>
      () =>
        buildUploadBody(name, list);
    const one = examples[0]!;
    expect(bad([])).toThrow(AppError);
    expect(bad(examples, " ")).toThrow(/needs a name/);
    expect(bad([one, one])).toThrow(/repeated/);
    expect(bad([{ ...one, id: "" }])).toThrow(/empty/);
    // base64 of "DatasetExample:7": Phoenix would patch its example 7 instead.
    expect(bad([{ ...one, id: Buffer.from("DatasetExample:7").toString("base64") }])).toThrow(/Phoenix id/);
  });

  it("builds a run with ISO times and a default repetition", () => {
    const body = buildRunBody({
      phoenixExampleId: "node-1",
      output: { answer: "hi" },
      startTime: new Date(Date.UTC(2026, 0, 1)),
      endTime: "2026-01-01T00:00:01.5+01:00",
    });
    expect(body).toEqual({
      dataset_example_id: "node-1",
      output: { answer: "hi" },
      repetition_number: 1,
      start_time: "2026-01-01T00:00:00.000Z",
      end_time: "2025-12-31T23:00:01.500Z",
      trace_id: null,
      error: null,
    });
    const base = { phoenixExampleId: "n", output: {}, startTime: new Date(), endTime: new Date() };
    expect(() => buildRunBody({ ...base, repetitionNumber: 0 })).toThrow(/positive integer/);
    expect(() => buildRunBody({ ...base, startTime: "yesterday" })).toThrow(/not a time/);
  });

  it("builds an evaluation with a result, or with only an error", () => {
    const times = { startTime: "2026-01-01T00:00:00Z", endTime: "2026-01-01T00:00:01Z" };
    expect(buildEvaluationBody("run-1", { name: "facts", annotatorKind: "CODE", score: 0.5, traceId: "t", ...times })).toEqual({
      experiment_run_id: "run-1",
      name: "facts",
      annotator_kind: "CODE",
      start_time: "2026-01-01T00:00:00.000Z",
      end_time: "2026-01-01T00:00:01.000Z",
      result: { label: null, score: 0.5, explanation: null },
      error: null,
      metadata: {},
      trace_id: "t",
    });
    expect(buildEvaluationBody("run-1", { name: "judge", annotatorKind: "LLM", error: "timeout", ...times })).toMatchObject({
      result: null,
      error: "timeout",
    });
    expect(() => buildEvaluationBody("run-1", { name: "x", annotatorKind: "LLM", ...times })).toThrow(/neither a result nor an error/);
    expect(() => buildEvaluationBody("run-1", { name: "x", annotatorKind: "LLM", score: Number.NaN, ...times })).toThrow(/not finite/);
  });

  it("derives the UI addresses of a dataset's experiments", () => {
    const urls = phoenixUiUrls("http://p:6006/", DATASET);
    expect(urls.experiments).toBe("http://p:6006/datasets/RGF0YXNldDox/experiments");
    expect(urls.experiment(EXPERIMENT)).toBe("http://p:6006/datasets/RGF0YXNldDox/experiments/RXhwZXJpbWVudDox");
    expect(urls.compare(["RXhwZXJpbWVudDox", "RXhwZXJpbWVudDoy"])).toBe(
      "http://p:6006/datasets/RGF0YXNldDox/compare?experimentId=RXhwZXJpbWVudDox&experimentId=RXhwZXJpbWVudDoy",
    );
    expect(urls.example("man 1")).toBe("http://p:6006/redirects/datasets/RGF0YXNldDox/examples/man%201");
  });
});

describe("PhoenixExperiments over HTTP", () => {
  it("upserts a dataset and maps our example ids to Phoenix's", async () => {
    replies = [{ body: uploaded(2) }, { body: listed(["man-001", "man-002"]) }];
    const result = await client().upsertDataset("evals", examples, "d");
    expect(result).toMatchObject({ datasetId: DATASET, versionId: VERSION, changed: true, counts: { created: 2, updated: 0, deleted: 0 } });
    expect([...result.exampleIds]).toEqual([
      ["man-001", "node-1"],
      ["man-002", "node-2"],
    ]);
    expect(recorded.map((r) => `${r.method} ${r.url}`)).toEqual([
      "POST /v1/datasets/upload?sync=true",
      `GET /v1/datasets/${encodeURIComponent(DATASET)}/examples?version_id=${encodeURIComponent(VERSION)}`,
    ]);
    expect(recorded[0]).toMatchObject({
      headers: { authorization: "Bearer k-1", "content-type": "application/json" },
      body: buildUploadBody("evals", examples, "d"),
    });
  });

  it("reports an unchanged upload, and an example Phoenix did not keep", async () => {
    replies = [{ body: uploaded(0) }, { body: listed(["man-001", "man-002"]) }];
    expect((await client().upsertDataset("evals", examples)).changed).toBe(false);
    replies = [{ body: uploaded(0, 1, 0) }, { body: listed(["man-001"]) }];
    await expect(client().upsertDataset("evals", examples)).rejects.toMatchObject({
      code: "phoenix_request_failed",
      message: expect.stringContaining("man-002"),
    });
  });

  it("creates an experiment and returns its compare-view URL", async () => {
    replies = [{ body: { data: experiment } }];
    const created = await client().createExperiment(DATASET, { name: "run-1", metadata: { commit: "abc" }, versionId: VERSION });
    expect(created).toEqual({
      experimentId: EXPERIMENT,
      datasetId: DATASET,
      versionId: VERSION,
      projectName: experiment.project_name,
      url: `${baseUrl}/datasets/${DATASET}/compare?experimentId=${EXPERIMENT}`,
    });
    expect(recorded[0]).toMatchObject({
      method: "POST",
      url: `/v1/datasets/${DATASET}/experiments`,
      body: { name: "run-1", description: null, metadata: { commit: "abc" }, version_id: VERSION },
    });
  });

  it("records runs and evaluations and returns their ids", async () => {
    replies = [{ body: { data: { id: "RXhwZXJpbWVudFJ1bjox" } } }, { body: { data: { id: "RXhwZXJpbWVudEV2YWx1YXRpb246MQ==" } } }];
    const times = { startTime: "2026-01-01T00:00:00Z", endTime: "2026-01-01T00:00:01Z" };
    const runId = await client().recordRun(EXPERIMENT, {
      phoenixExampleId: "node-1",
      output: { answer: "hi" },
      repetitionNumber: 2,
      ...times,
    });
    expect(runId).toBe("RXhwZXJpbWVudFJ1bjox");
    const evaluationId = await client().recordEvaluation(runId, {
      name: "facts",
      annotatorKind: "CODE",
      label: "pass",
      score: 1,
      ...times,
    });
    expect(evaluationId).toBe("RXhwZXJpbWVudEV2YWx1YXRpb246MQ==");
    expect(recorded.map((r) => `${r.method} ${r.url}`)).toEqual([
      `POST /v1/experiments/${EXPERIMENT}/runs`,
      "POST /v1/experiment_evaluations",
    ]);
    expect(recorded[0]?.body).toMatchObject({ dataset_example_id: "node-1", repetition_number: 2 });
    expect(recorded[1]?.body).toMatchObject({ experiment_run_id: runId, result: { label: "pass", score: 1, explanation: null } });
  });

  it("follows the cursor when listing experiments, and reads a run-less experiment as no results", async () => {
    replies = [
      { body: { data: [experiment], next_cursor: "c 2" } },
      { body: { data: [{ ...experiment, id: "RXhwZXJpbWVudDoy" }], next_cursor: null } },
    ];
    expect((await client().listExperiments(DATASET)).map((e) => e.id)).toEqual([EXPERIMENT, "RXhwZXJpbWVudDoy"]);
    expect(recorded[1]?.url).toBe(`/v1/datasets/${DATASET}/experiments?limit=100&cursor=c%202`);
    replies = [{ status: 404, body: "Experiment has no runs", raw: true }];
    expect(await client().experimentResults(EXPERIMENT)).toEqual([]);
    replies = [{ status: 404, body: "Experiment not found", raw: true }];
    await expect(client().experimentResults(EXPERIMENT)).rejects.toBeInstanceOf(PhoenixRequestError);
  });

  it("turns HTTP errors into PhoenixRequestError with the status and the end of the body", async () => {
    replies = [{ status: 409, body: `${"x".repeat(600)} already exists with a successful result`, raw: true }];
    const error = await client()
      .recordRun(EXPERIMENT, { phoenixExampleId: "n", output: {}, startTime: new Date(), endTime: new Date() })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PhoenixRequestError);
    expect(error).toMatchObject({ code: "phoenix_request_failed", status: 502, httpStatus: 409 });
    expect((error as PhoenixRequestError).bodyTail).toHaveLength(500);
    expect((error as PhoenixRequestError).message).toMatch(
      /^Phoenix answered 409 to POST \/v1\/experiments\/.*already exists with a successful result$/,
    );
  });

  it("rejects answers of the wrong shape or not JSON", async () => {
    replies = [{ body: { data: { id: 7 } } }];
    await expect(
      client().recordEvaluation("r", { name: "n", annotatorKind: "CODE", score: 1, startTime: new Date(), endTime: new Date() }),
    ).rejects.toMatchObject({
      code: "phoenix_request_failed",
      message: expect.stringContaining("unexpected answer"),
    });
    replies = [{ body: "<html>proxy</html>", raw: true }];
    await expect(client().listRuns(EXPERIMENT)).rejects.toMatchObject({
      code: "phoenix_request_failed",
      message: expect.stringContaining("not JSON"),
    });
  });

  it("reports an unreachable or silent Phoenix as phoenix_unavailable", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const gone = new PhoenixExperiments({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 2_000 });
    await expect(gone.listRuns(EXPERIMENT)).rejects.toMatchObject({ code: "phoenix_unavailable" });
    replies = [{ body: { data: [] }, delayMs: 1_000 }];
    const impatient = new PhoenixExperiments({ baseUrl, timeoutMs: 100 });
    await expect(impatient.listRuns(EXPERIMENT)).rejects.toMatchObject({
      code: "phoenix_unavailable",
      message: expect.stringContaining("within 100 ms"),
    });
  });
});
