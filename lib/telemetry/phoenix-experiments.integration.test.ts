import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MirroredExample } from "./phoenix-experiment-bodies";
import { PhoenixExperiments, PhoenixRequestError, phoenixUiUrls, type UpsertedDataset } from "./phoenix-experiments";
import type { RunningPhoenix } from "./phoenix-server";
import { startThrowawayPhoenix } from "@/test-support/phoenix/throwaway-phoenix";

// A real Phoenix (the pinned arize-phoenix in .phoenix/venv) on free loopback ports with a
// throwaway database: a dataset mirrored from JSONL-like examples, an experiment over it, runs
// and evaluations written through PhoenixExperiments and read back through Phoenix's REST API.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

let phoenix: RunningPhoenix | undefined;
let experiments: PhoenixExperiments;

beforeAll(async () => {
  phoenix = await startThrowawayPhoenix(root);
  experiments = new PhoenixExperiments({ baseUrl: phoenix.url, timeoutMs: 10_000 });
});

afterAll(async () => {
  await phoenix?.stop();
});

/** Mirrors evals/dataset-schema rows: input as is, expectations as output, the rest as metadata. */
const examples: MirroredExample[] = [
  {
    id: "man-001",
    input: { message: "What is the payload of the Roadrunner R200?" },
    output: { facts: ["500 kg"], route: "knowledge_base_search" },
    metadata: { tags: ["ci"], source: "manual" },
  },
  {
    id: "man-002",
    input: { message: "How long can the SkyHook S10 fly?" },
    output: { facts: ["38 minutes"] },
    metadata: { tags: [], source: "manual" },
  },
  {
    id: "syn-001",
    input: { message: "Total Q3 sales?", history: [{ role: "user", content: "hi" }] },
    output: { answer: "$4.2M" },
    metadata: { tags: ["sales"], source: "synthetic" },
  },
];

async function versionCount(datasetId: string): Promise<number> {
  const response = await fetch(`${phoenix!.url}/v1/datasets/${encodeURIComponent(datasetId)}/versions?limit=100`);
  const body = (await response.json()) as { data: unknown[] };
  return body.data.length;
}

describe("PhoenixExperiments against a real Phoenix", () => {
  let first: UpsertedDataset;
  let latest: UpsertedDataset;

  it("creates the dataset, keeps it on an unchanged upload and versions a changed one", async () => {
    first = await experiments.upsertDataset("evals-it", examples, "mirror of the eval JSONL");
    expect(first).toMatchObject({ changed: true, counts: { created: 3, updated: 0, deleted: 0 } });
    expect([...first.exampleIds.keys()].sort()).toEqual(["man-001", "man-002", "syn-001"]);

    const again = await experiments.upsertDataset("evals-it", [...examples].reverse());
    expect(again).toMatchObject({
      datasetId: first.datasetId,
      versionId: first.versionId,
      changed: false,
      counts: { created: 0, updated: 0, deleted: 0 },
    });
    expect(again.exampleIds).toEqual(first.exampleIds);
    expect(await versionCount(first.datasetId)).toBe(1);

    const edited = examples.map((e) => (e.id === "man-002" ? { ...e, output: { facts: ["38 minutes", "one battery"] } } : e));
    latest = await experiments.upsertDataset("evals-it", edited);
    expect(latest).toMatchObject({ datasetId: first.datasetId, changed: true, counts: { created: 0, updated: 1, deleted: 0 } });
    expect(latest.versionId).not.toBe(first.versionId);
    // The same example keeps its Phoenix id across versions, so runs line up in the compare view.
    expect(latest.exampleIds).toEqual(first.exampleIds);
    expect(await versionCount(first.datasetId)).toBe(2);
  });

  it("records an experiment with runs and evaluations, readable back over the REST API", async () => {
    const created = await experiments.createExperiment(latest.datasetId, {
      name: "it-run-1",
      description: "integration test",
      metadata: { commit: "abc123", model: "SmolLM2-135M" },
      versionId: latest.versionId,
    });
    expect(created).toMatchObject({ datasetId: latest.datasetId, versionId: latest.versionId });
    expect(created.url).toBe(phoenixUiUrls(phoenix!.url, latest.datasetId).compare([created.experimentId]));
    const page = await fetch(created.url);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);

    const traceId = "0123456789abcdef0123456789abcdef";
    const start = new Date("2026-11-27T12:00:00.000Z");
    const runIds = new Map<string, string>();
    for (const [index, example] of examples.entries()) {
      const failed = example.id === "syn-001";
      const runId = await experiments.recordRun(created.experimentId, {
        phoenixExampleId: latest.exampleIds.get(example.id)!,
        output: failed ? {} : { answer: `answer ${index}` },
        ...(index === 0 ? { traceId } : {}),
        startTime: new Date(start.getTime() + index * 1000),
        endTime: new Date(start.getTime() + index * 1000 + 250),
        ...(failed ? { error: "llm_failed: model crashed" } : {}),
      });
      runIds.set(example.id, runId);
      const times = { startTime: new Date(start.getTime() + 5000), endTime: new Date(start.getTime() + 5100) };
      await experiments.recordEvaluation(runId, {
        name: "facts",
        annotatorKind: "CODE",
        score: failed ? 0 : 1,
        label: failed ? "fail" : "pass",
        ...times,
      });
      await experiments.recordEvaluation(runId, {
        name: "faithfulness",
        annotatorKind: "LLM",
        score: 0.5,
        explanation: "half supported",
        metadata: { judge: "it" },
        ...times,
      });
    }

    const runs = await experiments.listRuns(created.experimentId);
    expect(runs).toHaveLength(3);
    const runByExample = new Map(runs.map((r) => [r.dataset_example_id, r]));
    const man001 = runByExample.get(latest.exampleIds.get("man-001")!);
    expect(man001).toMatchObject({
      id: runIds.get("man-001"),
      experiment_id: created.experimentId,
      output: { answer: "answer 0" },
      trace_id: traceId,
      repetition_number: 1,
    });
    expect(Date.parse(man001!.start_time)).toBe(start.getTime());
    expect(runByExample.get(latest.exampleIds.get("syn-001")!)).toMatchObject({ error: "llm_failed: model crashed" });

    const results = await experiments.experimentResults(created.experimentId);
    expect(results).toHaveLength(3);
    for (const result of results) {
      const byName = new Map(result.annotations.map((a) => [a.name, a]));
      expect([...byName.keys()].sort()).toEqual(["facts", "faithfulness"]);
      expect(byName.get("faithfulness")).toMatchObject({
        annotator_kind: "LLM",
        score: 0.5,
        explanation: "half supported",
        metadata: { judge: "it" },
      });
      const failed = result.example_id === latest.exampleIds.get("syn-001");
      expect(byName.get("facts")).toMatchObject({ annotator_kind: "CODE", score: failed ? 0 : 1, label: failed ? "fail" : "pass" });
    }

    const listed = await experiments.listExperiments(latest.datasetId);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      id: created.experimentId,
      name: "it-run-1",
      metadata: { commit: "abc123", model: "SmolLM2-135M" },
      example_count: 3,
      successful_run_count: 2,
      failed_run_count: 1,
      missing_run_count: 0,
    });

    // A successful run is final in Phoenix: recording it again is a 409, reported as such.
    const again = await experiments
      .recordRun(created.experimentId, {
        phoenixExampleId: latest.exampleIds.get("man-001")!,
        output: {},
        startTime: start,
        endTime: start,
      })
      .catch((e: unknown) => e);
    expect(again).toBeInstanceOf(PhoenixRequestError);
    expect(again).toMatchObject({ code: "phoenix_request_failed", httpStatus: 409 });
  });

  it("reads an experiment without runs as no results, and a second experiment joins the list", async () => {
    const second = await experiments.createExperiment(latest.datasetId, { name: "it-run-2" });
    expect(second.versionId).toBe(latest.versionId);
    expect(await experiments.experimentResults(second.experimentId)).toEqual([]);
    expect((await experiments.listExperiments(latest.datasetId)).map((e) => e.name).sort()).toEqual(["it-run-1", "it-run-2"]);
  });
});
