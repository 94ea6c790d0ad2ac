/** The app's durable production trace log: see trace-log.ts. */
export { TraceLog, type PruneResult, type TraceLogCounts } from "./trace-log";
export { SqliteSpanExporter, DEFAULT_PRUNE_INTERVAL_MS, type SqliteSpanExporterOptions } from "./sqlite-span-exporter";
export {
  TraceLogReader,
  USER_FEEDBACK_JUDGEMENT,
  objectAttribute,
  orderSpans,
  storedToLoggedSpan,
  type LoggedSpan,
  type RootSpanQuery,
  type TraceJudgement,
  type TraceReader,
} from "./trace-reader";
export type { SpanStatusName, StoredSpan, StoredSpanEvent, StoredAttributes } from "./span-record";
export {
  FEEDBACK_COMMENT_MAX_CHARS,
  annotationInputSchema,
  feedbackInputSchema,
  rootSpanQuerySchema,
  traceIdSchema,
  type AnnotationInput,
  type AnnotationRecord,
  type AnnotatorKind,
  type FeedbackInput,
  type FeedbackRecord,
  type FeedbackScore,
} from "./trace-log-records";
export { TRACE_LOG_SCHEMA_VERSION } from "./trace-log-schema";
