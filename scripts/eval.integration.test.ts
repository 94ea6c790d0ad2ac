import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getConfig } from "@/lib/config";
import { getEmbedder } from "@/lib/embeddings/transformers-embedder";
import { ingestCorpus } from "@/lib/ingest/ingest";
import { runTsxScript, type ScriptResult } from "@/test-support/process/run-tsx-script";
import { PhoenixClient } from "@/lib/telemetry/phoenix-client";
import { PhoenixExperiments } from "@/lib/telemetry/phoenix-experiments";
import type { RunningPhoenix } from "@/lib/telemetry/phoenix-server";
import { startThrowawayPhoenix } from "@/test-support/phoenix/throwaway-phoenix";
import { baselineSchema } from "@/evals/runner/gate";
import type { EvalRunResult } from "@/evals/runner/types";

// The gate end to end with the real agent, models and judge: it passes against its own
// baseline and puts its scores on the traces in a real Phoenix, recorded as a Phoenix
// experiment (three knowledge questions); it fails (exit 1) against a baseline raised by 0.2
// (twenty calculator questions: fewer could not tell a 0.2 drop from noise) and when
// retrieval can only find irrelevant documents.

const KNOWLEDGE = ["--dataset", "manual", "--filter", "^(man-001|man-005|man-009)$"];
const CALCULATOR = ["--dataset", "routing", "--filter", "^calculator$", "--limit", "20"];
const dir = mkdtempSync(path.join(os.tmpdir(), "eval-gate-"));
const project = `eval-gate-${Date.now()}`;
let phoenix: RunningPhoenix;

function runEval(args: string[], env: Record<string, string> = {}): Promise<ScriptResult> {
  return runTsxScript("scripts/eval.ts", args, { TRACE_LOG_PATH: path.join(dir, "traces.sqlite"), PHOENIX_PROJECT_NAME: project, ...env });
}

beforeAll(async () => {
  phoenix = await startThrowawayPhoenix(process.cwd());
}, 300_000);
afterAll(async () => {
  await phoenix?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("npm run eval as a gate", () => {
  const baselineFile = path.join(dir, "baseline.json");
  // The committed floors are tuned for the whole CI subset; three examples only compare with their own baseline.
  const noFloors = path.join(dir, "thresholds.json");
  writeFileSync(noFloors, JSON.stringify({ toleranceZ: 1.645, minTolerance: 0.02, passScore: 0.5, metrics: {} }));

  it("records a baseline, then passes against it with scores on the traces in Phoenix", async () => {
    const first = await runEval(
      [...KNOWLEDGE, "--thresholds", noFloors, "--update-baseline", "--baseline", baselineFile, "--out", path.join(dir, "r0")],
      { PHOENIX_COLLECTOR_ENDPOINT: phoenix.url },
    );
    expect(first.code, first.stderr).toBe(0);
    const again = await runEval([...KNOWLEDGE, "--thresholds", noFloors, "--baseline", baselineFile, "--out", path.join(dir, "r1")], {
      PHOENIX_COLLECTOR_ENDPOINT: phoenix.url,
    });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toContain("PASSED");

    const result = JSON.parse(readFileSync(path.join(dir, "r1", "eval-result.json"), "utf8")) as EvalRunResult;
    expect(result.examples.map((e) => e.exampleId).sort()).toEqual(["man-001", "man-005", "man-009"]);
    const client = new PhoenixClient({ baseUrl: phoenix.url, timeoutMs: 10_000 });
    const traceId = result.examples[0]!.traceId!;
    const spans = await client.allSpans(project, { traceIds: [traceId] });
    const root = spans.find((s) => s.parent_id === null)!;
    const annotations = await client.spanAnnotations(project, [root.context.span_id]);
    expect(annotations.find((a) => a.name === "retrieval.hit@4")).toMatchObject({ annotator_kind: "CODE" });
    expect(annotations.some((a) => a.annotator_kind === "LLM")).toBe(true);

    const experiments = new PhoenixExperiments({ baseUrl: phoenix.url, timeoutMs: 10_000 });
    const datasets = (await (await fetch(`${phoenix.url}/v1/datasets`)).json()) as { data: { id: string; name: string }[] };
    const dataset = datasets.data.find((d) => d.name === `${project}/manual`)!;
    const runs = await experiments.listExperiments(dataset.id);
    expect(runs.map((e) => e.name)).toContain(result.runId);
  });

  it("fails (exit 1) against a baseline whose scores are raised by 0.2, naming the metrics", async () => {
    const own = path.join(dir, "calculator-baseline.json");
    const first = await runEval(
      [...CALCULATOR, "--thresholds", noFloors, "--update-baseline", "--baseline", own, "--out", path.join(dir, "r2a")],
      { PHOENIX_EXPORT: "off" },
    );
    expect(first.code, first.stderr).toBe(0);
    const baseline = baselineSchema.parse(JSON.parse(readFileSync(own, "utf8")));
    // +0.2 on every score (past 1 where it was perfect: the gate clamps it).
    for (const scores of Object.values(baseline.examples)) for (const k of Object.keys(scores)) scores[k] = scores[k]! + 0.2;
    const raised = path.join(dir, "raised.json");
    writeFileSync(raised, JSON.stringify(baseline));
    // The failing run also asks to become the baseline: a failing run is not accepted unless forced.
    const before = readFileSync(raised, "utf8");
    const out = await runEval(
      [...CALCULATOR, "--thresholds", noFloors, "--baseline", raised, "--update-baseline", "--out", path.join(dir, "r2")],
      { PHOENIX_EXPORT: "off" },
    );
    expect(out.code, out.stdout + out.stderr).toBe(1);
    expect(out.stdout).toMatch(/FAIL.*dropped/);
    expect(out.stderr).toContain("the baseline was not updated");
    expect(readFileSync(raised, "utf8")).toBe(before);
    const result = JSON.parse(readFileSync(path.join(dir, "r2", "eval-result.json"), "utf8")) as EvalRunResult;
    const failed = result.metrics.filter((m) => m.status === "fail");
    expect(failed.map((m) => m.metric)).toEqual(expect.arrayContaining(["routing.match", "agent.run_ok"]));
    for (const m of failed) expect(out.stdout).toContain(m.metric);

    // Four examples are enough to show --force writes whatever the gate says.
    const few = ["--dataset", "routing", "--filter", "^calculator$", "--limit", "4", "--thresholds", noFloors, "--baseline", raised];
    const forced = await runEval([...few, "--update-baseline", "--force", "--out", path.join(dir, "r4")], { PHOENIX_EXPORT: "off" });
    expect(forced.code, forced.stdout + forced.stderr).toBe(0);
    expect(readFileSync(raised, "utf8")).not.toBe(before);
  });

  it("fails (exit 1) when retrieval can only find irrelevant documents", async () => {
    // A real index over three documents that have nothing to do with ACME.
    const corpus = path.join(dir, "irrelevant-corpus");
    const index = path.join(dir, "irrelevant-index");
    mkdirSync(corpus, { recursive: true });
    const topics = ["the migration of arctic terns", "baking sourdough bread at home", "the rules of cricket"];
    topics.forEach((topic, i) =>
      writeFileSync(
        path.join(corpus, `doc-${i}.md`),
        `---\nid: unrelated-${i}\ntitle: Notes on ${topic}\ntopic: other\nupdated: 2026-01-01\n---\n\nThese are some notes on ${topic}. ${"It has nothing to do with robots, prices or policies. ".repeat(5)}\n`,
      ),
    );
    const config = getConfig();
    await ingestCorpus({ corpusDir: corpus, indexDir: index, chunking: config.chunking, embedder: getEmbedder(config) });
    const out = await runEval([...KNOWLEDGE, "--baseline", baselineFile, "--out", path.join(dir, "r3")], {
      PHOENIX_EXPORT: "off",
      INDEX_DIR: index,
      CORPUS_DIR: corpus,
    });
    expect(out.code, out.stdout + out.stderr).toBe(1);
    expect(out.stdout).toMatch(/retrieval\.hit@4.*FAIL/);
  });
});
