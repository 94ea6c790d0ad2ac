import type { DatasetExample } from "@/lib/datasets/dataset-example";
import type { EvalCase, RetrievedContext } from "@/evals/evaluators/types";

/** Builders for unit tests: a valid EvalCase with only the fields a test cares about. */

export function makeExample(overrides: Partial<DatasetExample> = {}): DatasetExample {
  return {
    id: "ex-1",
    input: { message: "What is the warranty on rocket skates?" },
    expected: {},
    tags: [],
    source: "manual",
    createdAt: "2025-11-20T10:00:00.000Z",
    reviewed: true,
    ...overrides,
  };
}

export function chunk(docId: string, text = `text of ${docId}`, index = 0): RetrievedContext {
  return { id: `${docId}#${index}`, docId, title: docId, text, score: 0.5 };
}

export function makeCase(overrides: Omit<Partial<EvalCase>, "example"> & { example?: Partial<DatasetExample> } = {}): EvalCase {
  const { example, ...rest } = overrides;
  return {
    answer: "",
    retrieved: [],
    toolOutputs: [],
    latencyMs: 1000,
    ...rest,
    example: makeExample(example),
  };
}
