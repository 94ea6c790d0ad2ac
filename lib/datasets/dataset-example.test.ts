import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DatasetError, datasetExampleSchema, loadDataset, parseDataset } from "./dataset-example";

const valid = {
  id: "route-x",
  input: { message: "How many R100 units did we sell?", history: [{ role: "user", content: "hi" }] },
  expected: { route: "sales_query", facts: ["42"], docIds: ["price-list-2025"], answer: "42", tests: ["x === 1"] },
  tags: ["routing", "sales_query"],
  source: "production",
  traceId: "0af7651916cd43dd8448eb211c80319c",
  createdAt: "2025-11-20T10:00:00.000Z",
  reviewed: false,
};
const line = (value: unknown) => JSON.stringify(value);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dataset-schema-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let n = 0;
function writeTemp(lines: string[]): string {
  const file = path.join(tmp, `d${n++}.jsonl`);
  fs.writeFileSync(file, lines.join("\n") + "\n");
  return file;
}

function loadError(file: string): DatasetError {
  try {
    loadDataset(file);
  } catch (error) {
    if (error instanceof DatasetError) return error;
    throw error;
  }
  throw new Error("expected loadDataset to throw");
}

describe("datasetExampleSchema", () => {
  it("accepts a full example and a minimal one", () => {
    expect(datasetExampleSchema.parse(valid)).toEqual(valid);
    const minimal = {
      id: "m",
      input: { message: "hi" },
      expected: {},
      tags: [],
      source: "manual",
      createdAt: "2025-01-01T00:00:00Z",
      reviewed: true,
    };
    expect(datasetExampleSchema.safeParse(minimal).success).toBe(true);
  });

  it.each([
    ["an unknown top-level key", { ...valid, extra: 1 }],
    ["an unknown key in input", { ...valid, input: { message: "x", msg: "y" } }],
    ["an unknown key in expected", { ...valid, expected: { rout: "calculator" } }],
    ["a route name that is not snake_case", { ...valid, expected: { route: "Web Search" } }],
    ["an empty message", { ...valid, input: { message: "  " } }],
    ["a bad history role", { ...valid, input: { message: "x", history: [{ role: "system", content: "y" }] } }],
    ["a bad source", { ...valid, source: "scraped" }],
    ["a date that is not an ISO datetime", { ...valid, createdAt: "20 Nov 2025" }],
    ["a date without time", { ...valid, createdAt: "2025-11-20" }],
    ["reviewed as a string", { ...valid, reviewed: "yes" }],
    ["a missing id", { ...valid, id: undefined }],
  ])("rejects %s", (_name, value) => {
    expect(datasetExampleSchema.safeParse(value).success).toBe(false);
  });
});

describe("loadDataset", () => {
  it("reads every line of a valid file, skipping blank lines", () => {
    const file = writeTemp([line(valid), "", line({ ...valid, id: "route-y" })]);
    expect(loadDataset(file).map((e) => e.id)).toEqual(["route-x", "route-y"]);
  });

  it("names file and line of invalid JSON, and returns nothing", () => {
    const file = writeTemp([line(valid), "{not json"]);
    const error = loadError(file);
    expect(error).toMatchObject({ file, line: 2 });
    expect(error.message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:2: invalid JSON`));
  });

  it("names file, line and field of a schema violation", () => {
    const file = writeTemp([line(valid), line({ ...valid, id: "b" }), line({ ...valid, id: "c", expected: { route: "the weather" } })]);
    const error = loadError(file);
    expect(error.line).toBe(3);
    expect(error.message).toContain(`${file}:3: expected.route`);
  });

  it("rejects duplicate ids", () => {
    const error = loadError(writeTemp([line(valid), line(valid)]));
    expect(error.line).toBe(2);
    expect(error.message).toContain('duplicate id "route-x" (first on line 1)');
  });

  it("rejects an empty or missing file", () => {
    expect(loadError(writeTemp([""])).message).toContain(":0: the dataset has no examples");
    expect(loadError(path.join(tmp, "nope.jsonl"))).toMatchObject({ line: 0, message: expect.stringContaining("cannot read") });
  });

  it("parses text with CRLF line endings", () => {
    expect(parseDataset(`${line(valid)}\r\n${line({ ...valid, id: "z" })}\r\n`, "mem.jsonl")).toHaveLength(2);
  });
});
