/**
 * The trace log's schema in PostgreSQL: the same tables, columns and migration numbers as the
 * SQLite file (trace-log-schema.ts), in their own schema `trace_log` because Phoenix may share
 * the database (PHOENIX_SQL_DATABASE_URL) and has tables called `spans` too. Run by
 * lib/postgres/schema-migrations.ts (component `trace_log`). Never edit a shipped migration:
 * add one, here and in the SQLite list alike.
 *
 * Types are chosen so rows read back as the SQLite rows do (the same zod row schemas parse
 * both): times and the token count are float8 (exact for integers up to 2^53; int8 would come
 * back as strings), ids are int4 identities, and ids compare in "C" collation so ties order
 * by span id exactly as SQLite's binary collation does, whatever the database's locale.
 */
export const PG_TRACE_LOG_MIGRATIONS: readonly string[] = [
  // v1: spans, user feedback, eval annotations.
  `
  CREATE SCHEMA IF NOT EXISTS trace_log;
  CREATE TABLE trace_log.spans (
    trace_id TEXT COLLATE "C" NOT NULL,
    span_id TEXT COLLATE "C" NOT NULL,
    parent_span_id TEXT COLLATE "C",
    remote_parent_span_id TEXT COLLATE "C",
    name TEXT NOT NULL,
    span_kind TEXT,
    start_time_ms DOUBLE PRECISION NOT NULL,
    end_time_ms DOUBLE PRECISION NOT NULL,
    duration_ms DOUBLE PRECISION NOT NULL,
    status_code TEXT NOT NULL CHECK (status_code IN ('UNSET', 'OK', 'ERROR')),
    status_message TEXT,
    project_name TEXT,
    session_id TEXT,
    llm_token_count_total DOUBLE PRECISION,
    llm_cost_total DOUBLE PRECISION,
    input_value TEXT,
    output_value TEXT,
    attributes TEXT NOT NULL,
    events TEXT NOT NULL,
    PRIMARY KEY (trace_id, span_id)
  );
  CREATE INDEX spans_roots_by_start ON trace_log.spans (start_time_ms, trace_id) WHERE parent_span_id IS NULL;
  CREATE INDEX spans_by_session ON trace_log.spans (session_id, start_time_ms) WHERE session_id IS NOT NULL;

  CREATE TABLE trace_log.feedback (
    id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    trace_id TEXT COLLATE "C" NOT NULL,
    span_id TEXT COLLATE "C" NOT NULL,
    score INTEGER NOT NULL CHECK (score IN (0, 1)),
    comment TEXT,
    source TEXT NOT NULL,
    created_at_ms DOUBLE PRECISION NOT NULL
  );
  CREATE INDEX feedback_by_trace ON trace_log.feedback (trace_id);

  CREATE TABLE trace_log.annotations (
    id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    trace_id TEXT COLLATE "C" NOT NULL,
    span_id TEXT COLLATE "C" NOT NULL,
    name TEXT NOT NULL,
    annotator_kind TEXT NOT NULL CHECK (annotator_kind IN ('HUMAN', 'LLM', 'CODE')),
    label TEXT,
    score DOUBLE PRECISION,
    explanation TEXT,
    metadata TEXT NOT NULL,
    run_id TEXT,
    created_at_ms DOUBLE PRECISION NOT NULL
  );
  CREATE INDEX annotations_by_trace ON trace_log.annotations (trace_id);
  CREATE INDEX annotations_by_run ON trace_log.annotations (run_id) WHERE run_id IS NOT NULL;
  `,
  // v2: alert state (pg-alert-state-store.ts): `version` makes every write a compare-and-set; the
  // unique key on transitions makes each one recorded (and notified) once.
  `
  CREATE TABLE trace_log.alert_state (
    rule TEXT NOT NULL,
    group_key TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ok', 'pending', 'firing', 'resolved')),
    level TEXT CHECK (level IN ('warning', 'alert')),
    since_ms DOUBLE PRECISION NOT NULL,
    breach_windows INTEGER NOT NULL,
    last_eval_ms DOUBLE PRECISION NOT NULL,
    last_notified_ms DOUBLE PRECISION,
    last_value DOUBLE PRECISION,
    version INTEGER NOT NULL,
    PRIMARY KEY (rule, group_key)
  );

  CREATE TABLE trace_log.alert_transitions (
    id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rule TEXT NOT NULL,
    group_key TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('status', 'escalated', 'renotify')),
    level TEXT,
    at_ms DOUBLE PRECISION NOT NULL,
    value DOUBLE PRECISION,
    detail TEXT NOT NULL,
    notify INTEGER NOT NULL,
    created_at_ms DOUBLE PRECISION NOT NULL,
    UNIQUE (rule, group_key, kind, to_status, at_ms)
  );
  CREATE INDEX alert_transitions_by_time ON trace_log.alert_transitions (at_ms);
  `,
];
