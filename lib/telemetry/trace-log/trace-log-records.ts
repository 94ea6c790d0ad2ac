import { z } from "zod";
import { AppError, type ErrorCode } from "@/lib/errors";
import { describeZodIssues } from "@/lib/validation/zod-issues";
import { ANNOTATOR_KINDS, type AnnotatorKind } from "../attributes";

/**
 * What goes into the trace log from outside (a feedback POST, an eval run, a listing
 * query) and what comes back out for feedback and annotations. Inputs are validated
 * here so every caller gets the same limits; the schemas are exported so an HTTP route
 * can reuse them instead of restating them.
 */

export const FEEDBACK_COMMENT_MAX_CHARS = 2_000;
export const ANNOTATION_EXPLANATION_MAX_CHARS = 10_000;
export const ANNOTATION_METADATA_MAX_CHARS = 20_000;
export const ROOT_SPAN_LIST_DEFAULT_LIMIT = 100;
export const ROOT_SPAN_LIST_MAX_LIMIT = 1_000;

/** W3C trace id: 32 lowercase hex characters (upper case is accepted and folded). */
export const traceIdSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[0-9a-f]{32}$/, "must be a trace id (32 hex characters)");

export const spanIdSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[0-9a-f]{16}$/, "must be a span id (16 hex characters)");

export const FEEDBACK_SCORES = [0, 1] as const;
export type FeedbackScore = (typeof FEEDBACK_SCORES)[number];

export const feedbackInputSchema = z.strictObject({
  traceId: traceIdSchema,
  score: z.union([z.literal(0), z.literal(1)], { error: "must be 0 (bad) or 1 (good)" }),
  comment: z
    .string()
    .max(FEEDBACK_COMMENT_MAX_CHARS, `must be at most ${FEEDBACK_COMMENT_MAX_CHARS} characters`)
    .nullish()
    .transform((comment) => comment ?? null),
  /** Where the feedback came from, e.g. `api` (the chat UI) or `cli`. */
  source: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,31}$/, "must be a short lowercase name")
    .default("api"),
});
export type FeedbackInput = z.input<typeof feedbackInputSchema>;

export const annotationInputSchema = z
  .strictObject({
    traceId: traceIdSchema,
    /** The span annotated; the trace's root when left out. */
    spanId: spanIdSchema.optional(),
    name: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters"),
    annotatorKind: z.enum(ANNOTATOR_KINDS),
    label: z.string().max(200, "must be at most 200 characters").optional(),
    score: z.number().optional(),
    explanation: z
      .string()
      .max(ANNOTATION_EXPLANATION_MAX_CHARS, `must be at most ${ANNOTATION_EXPLANATION_MAX_CHARS} characters`)
      .optional(),
    metadata: z
      .record(z.string(), z.json())
      .default({})
      .refine((metadata) => JSON.stringify(metadata).length <= ANNOTATION_METADATA_MAX_CHARS, {
        message: `must be at most ${ANNOTATION_METADATA_MAX_CHARS} characters as JSON`,
      }),
    /** The eval run that produced this annotation, if any. */
    runId: z.string().trim().min(1).max(200).optional(),
  })
  .refine((a) => a.label !== undefined || a.score !== undefined || a.explanation !== undefined, {
    message: "an annotation needs a label, a score or an explanation",
  });
export type AnnotationInput = z.input<typeof annotationInputSchema>;

export const rootSpanQuerySchema = z.strictObject({
  /** Roots that started at or after this time (unix epoch ms). */
  since: z.number().optional(),
  /** Roots that started before this time (unix epoch ms). */
  until: z.number().optional(),
  limit: z.number().int().min(1).max(ROOT_SPAN_LIST_MAX_LIMIT).default(ROOT_SPAN_LIST_DEFAULT_LIMIT),
  /** Only traces with at least one span carrying this `session.id`. */
  sessionId: z.string().min(1).max(200).optional(),
});
export type RootSpanQuery = z.input<typeof rootSpanQuerySchema>;

export interface FeedbackRecord {
  id: number;
  traceId: string;
  /** The trace's root span: feedback is about the whole answer. */
  spanId: string;
  score: FeedbackScore;
  comment: string | null;
  source: string;
  createdAtMs: number;
}

export interface AnnotationRecord {
  id: number;
  traceId: string;
  spanId: string;
  name: string;
  annotatorKind: AnnotatorKind;
  label: string | null;
  score: number | null;
  explanation: string | null;
  metadata: Record<string, unknown>;
  runId: string | null;
  createdAtMs: number;
}

/** Validates `value`, turning the first problems into one AppError a caller can show. */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown, code: ErrorCode): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new AppError(code, describeZodIssues(parsed.error, 3).join("; "));
}

const feedbackRowSchema = z.object({
  id: z.number(),
  trace_id: z.string(),
  span_id: z.string(),
  score: z.union([z.literal(0), z.literal(1)]),
  comment: z.string().nullable(),
  source: z.string(),
  created_at_ms: z.number(),
});

export function rowToFeedback(row: unknown): FeedbackRecord {
  const r = parseInput(feedbackRowSchema, row, "trace_log_failed");
  return {
    id: r.id,
    traceId: r.trace_id,
    spanId: r.span_id,
    score: r.score,
    comment: r.comment,
    source: r.source,
    createdAtMs: r.created_at_ms,
  };
}

const annotationRowSchema = z.object({
  id: z.number(),
  trace_id: z.string(),
  span_id: z.string(),
  name: z.string(),
  annotator_kind: z.enum(ANNOTATOR_KINDS),
  label: z.string().nullable(),
  score: z.number().nullable(),
  explanation: z.string().nullable(),
  metadata: z.string(),
  run_id: z.string().nullable(),
  created_at_ms: z.number(),
});

const storedMetadataSchema = z.record(z.string(), z.unknown());

export function rowToAnnotation(row: unknown): AnnotationRecord {
  const r = parseInput(annotationRowSchema, row, "trace_log_failed");
  let metadata: unknown;
  try {
    metadata = JSON.parse(r.metadata);
  } catch (error) {
    throw new AppError("trace_log_failed", `metadata of annotation ${r.id} is not valid JSON`, { cause: error });
  }
  return {
    id: r.id,
    traceId: r.trace_id,
    spanId: r.span_id,
    name: r.name,
    annotatorKind: r.annotator_kind,
    label: r.label,
    score: r.score,
    explanation: r.explanation,
    metadata: parseInput(storedMetadataSchema, metadata, "trace_log_failed"),
    runId: r.run_id,
    createdAtMs: r.created_at_ms,
  };
}
