import type Database from "better-sqlite3";
import { z } from "zod";
import { AppError } from "@/lib/errors";

/**
 * The trace log's schema as an append-only list of migrations. The file's
 * `PRAGMA user_version` says how many have run; opening a file runs the rest, each in
 * its own transaction together with the version bump, so a crash mid-migration leaves
 * the file at the previous version rather than half-changed. Never edit a migration
 * that has shipped: add a new one.
 *
 * Column order in `spans` is deliberate: the small, often-filtered columns come first
 * and the large JSON/text ones last, so scans that only need times and ids rarely
 * touch overflow pages.
 */
const MIGRATIONS: readonly string[] = [
  // v1: spans, user feedback, eval annotations.
  `
  CREATE TABLE spans (
    trace_id TEXT NOT NULL,
    span_id TEXT NOT NULL,
    -- NULL for a trace's root in this log. A span whose parent lives in another
    -- process (propagated via traceparent) is a root here; its parent is kept aside.
    parent_span_id TEXT,
    remote_parent_span_id TEXT,
    name TEXT NOT NULL,
    span_kind TEXT,
    start_time_ms REAL NOT NULL,
    end_time_ms REAL NOT NULL,
    duration_ms REAL NOT NULL,
    status_code TEXT NOT NULL CHECK (status_code IN ('UNSET', 'OK', 'ERROR')),
    status_message TEXT,
    project_name TEXT,
    session_id TEXT,
    llm_token_count_total INTEGER,
    llm_cost_total REAL,
    input_value TEXT,
    output_value TEXT,
    attributes TEXT NOT NULL,
    events TEXT NOT NULL,
    -- Span ids are unique within a trace; the composite key doubles as the trace_id index.
    PRIMARY KEY (trace_id, span_id)
  );
  -- Root spans newest-first (listings, pruning); covering for trace ids by age.
  CREATE INDEX spans_roots_by_start ON spans (start_time_ms, trace_id) WHERE parent_span_id IS NULL;
  CREATE INDEX spans_by_session ON spans (session_id, start_time_ms) WHERE session_id IS NOT NULL;

  CREATE TABLE feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    trace_id TEXT NOT NULL,
    span_id TEXT NOT NULL,
    score INTEGER NOT NULL CHECK (score IN (0, 1)),
    comment TEXT,
    source TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL
  );
  CREATE INDEX feedback_by_trace ON feedback (trace_id);

  CREATE TABLE annotations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    trace_id TEXT NOT NULL,
    span_id TEXT NOT NULL,
    name TEXT NOT NULL,
    annotator_kind TEXT NOT NULL CHECK (annotator_kind IN ('HUMAN', 'LLM', 'CODE')),
    label TEXT,
    score REAL,
    explanation TEXT,
    metadata TEXT NOT NULL,
    run_id TEXT,
    created_at_ms INTEGER NOT NULL
  );
  CREATE INDEX annotations_by_trace ON annotations (trace_id);
  CREATE INDEX annotations_by_run ON annotations (run_id) WHERE run_id IS NOT NULL;
  `,
  // v2: alert state (lib/telemetry/trace-log/alert-state-store.ts). `version` makes every write
  // a compare-and-set; the unique key on transitions makes each one recorded (and notified) once.
  `
  CREATE TABLE alert_state (
    rule TEXT NOT NULL,
    group_key TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ok', 'pending', 'firing', 'resolved')),
    level TEXT CHECK (level IN ('warning', 'alert')),
    since_ms INTEGER NOT NULL,
    breach_windows INTEGER NOT NULL,
    last_eval_ms INTEGER NOT NULL,
    last_notified_ms INTEGER,
    last_value REAL,
    version INTEGER NOT NULL,
    PRIMARY KEY (rule, group_key)
  );

  CREATE TABLE alert_transitions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    rule TEXT NOT NULL,
    group_key TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('status', 'escalated', 'renotify')),
    level TEXT,
    at_ms INTEGER NOT NULL,
    value REAL,
    detail TEXT NOT NULL,
    notify INTEGER NOT NULL,
    created_at_ms INTEGER NOT NULL,
    UNIQUE (rule, group_key, kind, to_status, at_ms)
  );
  CREATE INDEX alert_transitions_by_time ON alert_transitions (at_ms);
  `,
];

export const TRACE_LOG_SCHEMA_VERSION = MIGRATIONS.length;

const userVersionSchema = z.number().int().min(0);

function schemaVersion(db: Database.Database): number {
  return userVersionSchema.parse(db.pragma("user_version", { simple: true }));
}

/**
 * Brings the file to `TRACE_LOG_SCHEMA_VERSION`. Each step takes the write lock first
 * (`BEGIN IMMEDIATE`) and re-reads the version, so two processes opening a fresh file
 * at once (the server and a CLI) do not both run the same migration.
 */
export function migrateTraceLog(db: Database.Database, file: string): void {
  const found = schemaVersion(db);
  if (found > TRACE_LOG_SCHEMA_VERSION) {
    throw new AppError(
      "trace_log_failed",
      `${file} has trace log schema version ${found}; this build understands up to ${TRACE_LOG_SCHEMA_VERSION}. Use a newer build or another file.`,
    );
  }
  const step = db.transaction((target: number) => {
    if (schemaVersion(db) >= target) return;
    const sql = MIGRATIONS[target - 1];
    if (sql === undefined) throw new AppError("internal", `no trace log migration to version ${target}`);
    db.exec(sql);
    // Not user input: an integer this module computed.
    db.pragma(`user_version = ${target}`);
  });
  for (let target = found + 1; target <= TRACE_LOG_SCHEMA_VERSION; target++) step.immediate(target);
}
