import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadCorpus } from "../../lib/ingest/corpus";
import { ROUTES } from "@/agents/routes/registry";
import { TRACE_EXPORT_SUFFIX } from "@/lib/curation/trace-export";
import { loadDataset, type DatasetExample } from "@/lib/datasets/dataset-example";
import { CI_REQUIRED_TAGS, calledFunctions, checkCiSubset, checkIntegrity, normaliseForMatch, type DatasetFile } from "@/test-support/evals/dataset-integrity";

// Paths from this file, not from the environment: these are the repository's own datasets and corpus.
const DATASETS_DIR = path.dirname(fileURLToPath(import.meta.url));
const CORPUS_DIR = fileURLToPath(new URL("../../data/corpus", import.meta.url));

const corpus = new Map(loadCorpus(CORPUS_DIR).map((doc) => [doc.id, `${doc.title}\n${doc.body}`]));
const files: DatasetFile[] = fs
  .readdirSync(DATASETS_DIR)
  .filter((name) => name.endsWith(".jsonl") && !name.endsWith(TRACE_EXPORT_SUFFIX))
  .sort()
  .map((name) => ({ file: name, examples: loadDataset(path.join(DATASETS_DIR, name)) }));
const all = files.flatMap((f) => f.examples);
const manual = files.find((f) => f.file === "manual.jsonl")?.examples ?? [];

describe("the datasets in evals/datasets", () => {
  it("all load and validate, including manual.jsonl", () => {
    expect(files.map((f) => f.file)).toContain("manual.jsonl");
    for (const f of files) expect(f.examples.length, f.file).toBeGreaterThan(0);
  });

  it("have referential integrity: real doc ids, facts found in their documents, tags matching fields, unique ids", () => {
    expect(checkIntegrity(files, corpus)).toEqual([]);
  });

  it("keep a ci subset that covers every route and eval type", () => {
    expect(checkCiSubset(all)).toEqual([]);
  });

  it("manual.jsonl: at least 160 reviewed, hand-written examples, man-NNN ids, every route and eval type", () => {
    expect(manual.length).toBeGreaterThanOrEqual(160);
    for (const e of manual) {
      expect(e.id).toMatch(/^man-\d{3}$/);
      expect(e.source).toBe("manual");
      expect(e.reviewed).toBe(true);
      expect(e.expected.route, e.id).toBeDefined();
    }
    const tags = new Set(manual.flatMap((e) => e.tags));
    for (const tag of [...ROUTES, ...CI_REQUIRED_TAGS, "multi-turn"]) expect(tags.has(tag), `manual.jsonl needs an example tagged "${tag}" (see CONTRIBUTING.md, 'Adding a tool')`).toBe(true);
    const count = (tag: string) => manual.filter((e) => e.tags.includes(tag)).length;
    // The mix the issue asks for, as floors so that adding examples never breaks the test.
    expect(count("conflict")).toBeGreaterThanOrEqual(10);
    expect(count("unanswerable")).toBeGreaterThanOrEqual(10);
    expect(count("summarization")).toBeGreaterThanOrEqual(8);
    expect(count("near-duplicate")).toBeGreaterThanOrEqual(6);
    expect(count("sales")).toBeGreaterThanOrEqual(25);
    expect(count("calculation")).toBeGreaterThanOrEqual(20);
    expect(count("code")).toBeGreaterThanOrEqual(15);
    expect(count("followup")).toBeGreaterThanOrEqual(15);
    expect(count("toxic-bait")).toBeGreaterThanOrEqual(12);
  });

  it("give every labeled item a split, balanced within each route (tune on dev, publish test)", () => {
    for (const f of files.filter((file) => file.examples.some((e) => e.reviewed))) {
      const missing = f.examples.filter((e) => e.reviewed && !e.split).map((e) => e.id);
      expect(missing, `${f.file}: items without a split: run npm run datasets:split`).toEqual([]);
      for (const route of new Set(f.examples.map((e) => e.expected.route))) {
        const splits = f.examples.filter((e) => e.expected.route === route).map((e) => e.split);
        const dev = splits.filter((s) => s === "dev").length;
        expect(Math.abs(dev - (splits.length - dev)), `${f.file}, ${route ?? "no route"}: dev ${dev} of ${splits.length}`).toBeLessThanOrEqual(2);
      }
    }
  });

  it("never hold the same message twice, in one file or across files (it would count twice)", () => {
    const seen = new Map<string, string>();
    const repeats: string[] = [];
    for (const e of all) {
      const key = normaliseForMatch(e.input.message);
      const first = seen.get(key);
      if (first && !e.input.history) repeats.push(`${e.id} repeats ${first}`);
      if (!e.input.history) seen.set(key, e.id);
    }
    expect(repeats).toEqual([]);
  });

  it("synthetic examples, if any, are unreviewed until a person accepts them and cite the chunk's document", () => {
    for (const e of all.filter((x) => x.source === "synthetic")) {
      expect(e.id).toMatch(/^syn-[0-9a-f]+$/);
      expect(e.tags).toEqual(expect.arrayContaining(["synthetic", "knowledge_base_search", "retrieval"]));
      expect(e.expected.docIds?.length, e.id).toBe(1);
    }
  });
});

// ---------------------------------------------------------------------------------------
// The checks themselves must be able to fail, or the test above proves nothing.

const base: DatasetExample = {
  id: "x-1",
  input: { message: "How many days do I have to return a product?" },
  expected: { route: "knowledge_base_search", docIds: ["returns-policy"], facts: ["45 days"] },
  tags: ["knowledge_base_search", "retrieval", "qa", "conflict"],
  source: "manual",
  createdAt: "2026-11-27T12:00:00.000Z",
  reviewed: true,
};
const one = (example: DatasetExample, file = "a.jsonl") => checkIntegrity([{ file, examples: [example] }], corpus);
const withExpected = (expected: Partial<DatasetExample["expected"]>, tags = base.tags): DatasetExample => ({
  ...base,
  expected: { ...base.expected, ...expected },
  tags,
});

describe("checkIntegrity", () => {
  it("accepts a correct example", () => {
    expect(one(base)).toEqual([]);
  });

  it("reports a route the agent does not have", () => {
    expect(one(withExpected({ route: "web_search" }, ["web_search"]))).toEqual(
      expect.arrayContaining([expect.stringContaining('expected.route "web_search" is no route of the agent')]),
    );
  });

  it("reports an unknown doc id", () => {
    expect(one(withExpected({ docIds: ["returns-policy", "no-such-doc"] }))).toEqual([
      expect.stringContaining('cites unknown document "no-such-doc"'),
    ]);
  });

  it("reports a fact that is in none of the cited documents (the superseded value, here)", () => {
    expect(one(withExpected({ facts: ["30 days of delivery"] }))).toEqual([
      expect.stringContaining('fact "30 days of delivery" is in none of its documents'),
    ]);
  });

  it("matches facts ignoring case, thousands separators and Markdown emphasis", () => {
    expect(normaliseForMatch("List price: **$12,900** per UNIT")).toBe("list price: $12900 per unit");
    const priced = withExpected({ docIds: ["price-list-2025"], facts: ["$12900", "roadrunner r100"] });
    expect(one(priced)).toEqual([]);
  });

  it("reports a conflict example that cites the superseded document", () => {
    expect(one(withExpected({ docIds: ["returns-policy", "returns-policy-2023"] }))).toEqual([
      expect.stringContaining('cites the superseded "returns-policy-2023"'),
    ]);
  });

  it("reports tags that disagree with the fields evaluators read", () => {
    const noDocs = withExpected({ docIds: undefined, facts: ["45 days"] });
    expect(one(noDocs)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('"retrieval" without expected.docIds'),
        expect.stringContaining('"conflict" without the current document'),
      ]),
    );
    const wrongRoute = withExpected({ route: "sales_query" });
    expect(one(wrongRoute)).toEqual([expect.stringContaining('tagged "knowledge_base_search" but expected.route is sales_query')]);
    const typo = { ...base, tags: [...base.tags, "toxic_bait"] };
    expect(one(typo)).toEqual([expect.stringContaining('unknown tag "toxic_bait"')]);
    const unanswerable = withExpected({ answer: "Nobody knows", docIds: undefined, facts: undefined }, ["knowledge_base_search", "unanswerable"]);
    expect(one(unanswerable)).toEqual([expect.stringContaining(`expected.answer is not "I don't know."`)]);
  });

  it("reports code examples without tests, with broken tests, or calling functions the message does not name", () => {
    const code = (tests: string[] | undefined): DatasetExample => ({
      ...base,
      input: { message: "Write a function `fib(n)` returning the nth Fibonacci number." },
      expected: { route: "run_code", tests },
      tags: ["run_code", "code"],
    });
    expect(one(code(["assert.equal(fib(10), 55)"]))).toEqual([]);
    expect(one(code(undefined))).toEqual([expect.stringContaining('"code" without expected.tests')]);
    expect(one(code(["assert.equal(fib(10), 55"]))).toEqual([expect.stringContaining("does not compile")]);
    expect(one(code(["assert.equal(fibonacci(10), 55)"]))).toEqual([expect.stringContaining("calls fibonacci()")]);
    expect(calledFunctions("assert.deepEqual(chunk([1], f(2)), x.map(g))")).toEqual(["chunk", "f"]);
  });

  it("reports an id used in two files", () => {
    const problems = checkIntegrity(
      [
        { file: "a.jsonl", examples: [base] },
        { file: "b.jsonl", examples: [base] },
      ],
      corpus,
    );
    expect(problems).toEqual([expect.stringContaining("b.jsonl x-1: id also used in a.jsonl")]);
  });
});

describe("checkCiSubset", () => {
  it("reports missing routes and eval types, and a subset of the wrong size", () => {
    const ci = { ...base, tags: [...base.tags, "ci"] };
    const problems = checkCiSubset([ci]);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining("has 1 examples"),
        expect.stringContaining("no example routed to run_code"),
        expect.stringContaining('no "toxic-bait" example'),
        expect.stringContaining('no "summarization" example'),
      ]),
    );
    expect(problems.some((p) => p.includes("knowledge_base_search"))).toBe(false);
  });

  it("reports too many run_code examples", () => {
    const code: DatasetExample = { ...base, id: "c", expected: { route: "run_code", tests: ["assert(true)"] }, tags: ["run_code", "code", "ci"] };
    expect(checkCiSubset([code, code, code, code])).toEqual(expect.arrayContaining([expect.stringContaining("4 run_code examples")]));
  });
});
