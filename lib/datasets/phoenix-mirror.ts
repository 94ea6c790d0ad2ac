import type { MirroredExample } from "../telemetry/phoenix-experiment-bodies";
import type { DatasetExample } from "./dataset-example";

/**
 * How a dataset example looks in Phoenix: the question as input, what is expected as output,
 * provenance as metadata. One mapping for the eval runner and the review page, so the two
 * never upload different versions of the same example.
 */
export function toMirroredExample(example: DatasetExample, rootSpanIds: ReadonlyMap<string, string> = new Map()): MirroredExample {
  const spanId = example.traceId ? rootSpanIds.get(example.traceId) : undefined;
  return {
    id: example.id,
    input: { message: example.input.message, ...(example.input.history ? { history: example.input.history } : {}) },
    output: { ...example.expected },
    metadata: {
      tags: example.tags,
      source: example.source,
      reviewed: example.reviewed,
      ...(example.traceId ? { traceId: example.traceId } : {}),
    },
    // Production examples link back to the span they came from (Phoenix shows the trace beside the example).
    ...(spanId ? { spanId } : {}),
  };
}
