import { describe, expect, it } from "vitest";
import type { LoggedSpan } from "../telemetry/trace-log/trace-reader";
import { exportTrace, rootSpanIdsOf, withTrace } from "./trace-export";

const traceId = "0af7651916cd43dd8448eb211c80319c";
const span = (spanId: string, parentSpanId: string | null, attributes: Record<string, unknown>, startTimeMs: number): LoggedSpan => ({
  traceId,
  spanId,
  parentSpanId,
  name: parentSpanId ? "llm" : "chat",
  spanKind: parentSpanId ? "LLM" : "AGENT",
  startTimeMs,
  endTimeMs: startTimeMs + 12.3456,
  statusCode: "OK",
  statusMessage: null,
  attributes,
});

describe("exportTrace", () => {
  const long = "x".repeat(5_000);
  const exported = exportTrace(
    traceId,
    [
      span(
        "b7ad6b7169203331",
        "a1b2c3d4e5f60718",
        {
          "input.value": long,
          "embedding.embeddings.0.embedding.vector": [0.1, 0.2],
          "llm.token_count.total": 12,
          tags: ["a", "b"],
          odd: { nested: true },
        },
        20,
      ),
      span("a1b2c3d4e5f60718", null, { "input.value": long, "output.value": "answer" }, 10),
    ],
    new Date("2026-11-28T10:00:00.000Z"),
  );

  it("orders spans by start, keeps the root's question and answer whole, cuts other long texts", () => {
    expect(exported.spans.map((s) => s.spanId)).toEqual(["a1b2c3d4e5f60718", "b7ad6b7169203331"]);
    expect(exported.spans[0]!.attributes["input.value"]).toBe(long);
    const cut = exported.spans[1]!.attributes["input.value"] as string;
    expect(cut.length).toBeLessThan(600);
    expect(cut.endsWith("… [cut]")).toBe(true);
  });

  it("drops vectors and values that are not attribute values, keeps numbers and arrays", () => {
    const attrs = exported.spans[1]!.attributes;
    expect(attrs).not.toHaveProperty("embedding.embeddings.0.embedding.vector");
    expect(attrs).not.toHaveProperty("odd");
    expect(attrs).toMatchObject({ "llm.token_count.total": 12, tags: ["a", "b"] });
    expect(exported.spans[1]!.durationMs).toBe(12.346);
  });

  it("refuses an empty trace, replaces an older export of the same trace, finds root span ids", () => {
    expect(() => exportTrace(traceId, [])).toThrow(/No spans/);
    const text = withTrace([exported], { ...exported, exportedAt: "2026-11-29T10:00:00.000Z" });
    expect(text.trim().split("\n")).toHaveLength(1);
    expect(text).toContain("2026-11-29");
    expect(rootSpanIdsOf([exported]).get(traceId)).toBe("a1b2c3d4e5f60718");
  });
});
