import fs from "node:fs";
import { z } from "zod";
import { AppError } from "../errors";
import { writeFileAtomic } from "../fs/write-file-atomic";
import type { LoggedSpan } from "../telemetry/trace-log/trace-reader";
import { describeZodIssues } from "../validation/zod-issues";
import { candidateFeedbackSchema } from "./review-queue";

/**
 * Provenance shipped with the data: for every production dataset item, a compact copy of the
 * trace it came from (its spans, in OpenInference attributes), committed beside the dataset
 * as `<dataset>.traces.jsonl`, one trace a line. Anyone can see where an item came from
 * without the original trace log or Phoenix.
 */

export const TRACE_EXPORT_SUFFIX = ".traces.jsonl";

/**
 * Long texts (prompts, chunks, LangGraph state) are cut: enough to follow the trace, small
 * enough to commit (~15 KB a trace). The root span's question and answer are kept whole.
 */
const MAX_STRING_CHARS = 500;
const UNCUT_ROOT_ATTRIBUTES = new Set(["input.value", "output.value"]);
/** Vectors say nothing to a reader and are large. */
const DROPPED_ATTRIBUTE = /\.embedding\.vector$/;

const exportedSpanSchema = z.strictObject({
  spanId: z.string(),
  parentSpanId: z.string().nullable(),
  name: z.string(),
  spanKind: z.string().nullable(),
  startTime: z.iso.datetime({ offset: true }),
  durationMs: z.number(),
  status: z.string(),
  statusMessage: z.string().optional(),
  attributes: z.record(z.string(), z.json()),
});

export const exportedTraceSchema = z.strictObject({
  traceId: z.string().regex(/^[0-9a-f]{32}$/),
  exportedAt: z.iso.datetime({ offset: true }),
  spans: z.array(exportedSpanSchema).min(1),
  /**
   * The users' 👍/👎 on this answer when it was accepted: the human signal the eval compares
   * its judges with, kept with the data because the trace log it came from is not.
   */
  feedback: z.array(candidateFeedbackSchema).optional(),
});

export type ExportedTrace = z.infer<typeof exportedTraceSchema>;
type Json = z.infer<ReturnType<typeof z.json>>;

function compactValue(value: unknown, maxChars: number): Json | undefined {
  if (typeof value === "string") return value.length > maxChars ? `${value.slice(0, maxChars)}… [cut]` : value;
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (typeof value === "boolean" || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => compactValue(v, maxChars) ?? null);
  return undefined;
}

export function exportTrace(
  traceId: string,
  spans: readonly LoggedSpan[],
  exportedAt = new Date(),
  feedback: ExportedTrace["feedback"] = [],
): ExportedTrace {
  if (spans.length === 0) throw new AppError("trace_not_found", `No spans for trace ${traceId}`);
  const exported = [...spans]
    .sort((a, b) => a.startTimeMs - b.startTimeMs)
    .map((span) => {
      const attributes: Record<string, Json> = {};
      for (const [key, value] of Object.entries(span.attributes)) {
        if (DROPPED_ATTRIBUTE.test(key)) continue;
        const uncut = span.parentSpanId === null && UNCUT_ROOT_ATTRIBUTES.has(key);
        const compact = compactValue(value, uncut ? Number.POSITIVE_INFINITY : MAX_STRING_CHARS);
        if (compact !== undefined) attributes[key] = compact;
      }
      return {
        spanId: span.spanId,
        parentSpanId: span.parentSpanId,
        name: span.name,
        spanKind: span.spanKind,
        startTime: new Date(span.startTimeMs).toISOString(),
        durationMs: Math.round((span.endTimeMs - span.startTimeMs) * 1000) / 1000,
        status: span.statusCode,
        ...(span.statusMessage ? { statusMessage: span.statusMessage } : {}),
        attributes,
      };
    });
  return exportedTraceSchema.parse({
    traceId,
    exportedAt: exportedAt.toISOString(),
    spans: exported,
    ...(feedback.length > 0 ? { feedback } : {}),
  });
}

/** Reads an export file; missing = empty. A bad line is an error naming the file and line. */
export function readTraceExport(file: string): ExportedTrace[] {
  if (!fs.existsSync(file)) return [];
  const traces: ExportedTrace[] = [];
  for (const [index, raw] of fs.readFileSync(file, "utf8").split(/\r?\n/).entries()) {
    if (raw.trim() === "") continue;
    let parsed: ReturnType<typeof exportedTraceSchema.safeParse>;
    try {
      parsed = exportedTraceSchema.safeParse(JSON.parse(raw));
    } catch (error) {
      throw new AppError("dataset_invalid", `${file}:${index + 1}: invalid JSON: ${(error as Error).message}`);
    }
    if (!parsed.success) {
      throw new AppError("dataset_invalid", `${file}:${index + 1}: ${describeZodIssues(parsed.error).join("; ")}`);
    }
    traces.push(parsed.data);
  }
  return traces;
}

/** The file's text with `trace` added (or replacing an older export of the same trace). */
export function withTrace(existing: readonly ExportedTrace[], trace: ExportedTrace): string {
  const kept = existing.filter((t) => t.traceId !== trace.traceId);
  return [...kept, trace].map((t) => JSON.stringify(t)).join("\n") + "\n";
}

/** Each exported trace's root span id, by trace id (Phoenix links dataset examples to spans). */
export function rootSpanIdsOf(traces: readonly ExportedTrace[]): Map<string, string> {
  const ids = new Map<string, string>();
  for (const trace of traces) {
    const root = trace.spans.find((s) => s.parentSpanId === null) ?? trace.spans[0];
    if (root) ids.set(trace.traceId, root.spanId);
  }
  return ids;
}

export function writeTraceExport(file: string, text: string): void {
  writeFileAtomic(file, text);
}
