import type Database from "better-sqlite3";
import { z } from "zod";
import { AppError } from "@/lib/errors";

/**
 * Alert state in the trace log (tables from migration v2): one row per rule and group with a
 * version number, and the history of transitions. Every write is a compare-and-set on the
 * version inside one `BEGIN IMMEDIATE` transaction, so when two processes (two replicas, the
 * server and a CLI) evaluate the same window only one moves the state, and only that one gets
 * `true` from `claimTransition` — the one that may notify.
 */

export const ALERT_STATUSES = ["ok", "pending", "firing", "resolved"] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
export const ALERT_LEVELS = ["warning", "alert"] as const;

export interface AlertStateRecord {
  rule: string;
  groupKey: string;
  status: AlertStatus;
  /** While pending or firing: the level reached. */
  level: (typeof ALERT_LEVELS)[number] | null;
  /** When the current status began (a window's end, epoch ms). */
  sinceMs: number;
  /** Consecutive windows in breach so far. */
  breachWindows: number;
  /** The end of the last window evaluated: a window is evaluated once. */
  lastEvalMs: number;
  lastNotifiedMs: number | null;
  lastValue: number | null;
  /** 0 for a state never stored; bumped by every write. */
  version: number;
}

export interface AlertTransitionRecord {
  rule: string;
  groupKey: string;
  from: AlertStatus;
  to: AlertStatus;
  /** `status` for a change of status, or `escalated` / `renotify` while firing. */
  kind: "status" | "escalated" | "renotify";
  level: (typeof ALERT_LEVELS)[number] | null;
  atMs: number;
  value: number | null;
  detail: string;
  notify: boolean;
}

const stateRowSchema = z.object({
  rule: z.string(),
  group_key: z.string(),
  status: z.enum(ALERT_STATUSES),
  level: z.enum(ALERT_LEVELS).nullable(),
  since_ms: z.number(),
  breach_windows: z.number().int(),
  last_eval_ms: z.number(),
  last_notified_ms: z.number().nullable(),
  last_value: z.number().nullable(),
  version: z.number().int(),
});

const transitionRowSchema = z.object({
  rule: z.string(),
  group_key: z.string(),
  from_status: z.enum(ALERT_STATUSES),
  to_status: z.enum(ALERT_STATUSES),
  kind: z.enum(["status", "escalated", "renotify"]),
  level: z.enum(ALERT_LEVELS).nullable(),
  at_ms: z.number(),
  value: z.number().nullable(),
  detail: z.string(),
  notify: z.number().int(),
});

function parseRow<T>(schema: z.ZodType<T>, row: unknown): T {
  const parsed = schema.safeParse(row);
  if (!parsed.success)
    throw new AppError("trace_log_failed", `unexpected alert row in the trace log: ${parsed.error.issues[0]?.message ?? ""}`);
  return parsed.data;
}

/** A stored state row (SQLite or PostgreSQL: the same columns) as a record. */
export const alertStateFromRow = (row: unknown): AlertStateRecord => {
  const r = parseRow(stateRowSchema, row);
  return {
    rule: r.rule,
    groupKey: r.group_key,
    status: r.status,
    level: r.level,
    sinceMs: r.since_ms,
    breachWindows: r.breach_windows,
    lastEvalMs: r.last_eval_ms,
    lastNotifiedMs: r.last_notified_ms,
    lastValue: r.last_value,
    version: r.version,
  };
};

/** A stored transition row as a record. */
export const alertTransitionFromRow = (row: unknown): AlertTransitionRecord => {
  const r = parseRow(transitionRowSchema, row);
  return {
    rule: r.rule,
    groupKey: r.group_key,
    from: r.from_status,
    to: r.to_status,
    kind: r.kind,
    level: r.level,
    atMs: r.at_ms,
    value: r.value,
    detail: r.detail,
    notify: r.notify === 1,
  };
};

/** Thrown inside the claim's transaction to roll it back when the transition was recorded before. */
class TransitionTaken extends Error {}

export function prepareAlertStateStore(db: Database.Database, guard: <T>(what: string, work: () => T) => T) {
  const statements = {
    states: db.prepare("SELECT * FROM alert_state ORDER BY rule, group_key"),
    insert: db.prepare(
      `INSERT OR IGNORE INTO alert_state (rule, group_key, status, level, since_ms, breach_windows, last_eval_ms, last_notified_ms, last_value, version)
       VALUES (@rule, @group_key, @status, @level, @since_ms, @breach_windows, @last_eval_ms, @last_notified_ms, @last_value, 1)`,
    ),
    update: db.prepare(
      `UPDATE alert_state SET status = @status, level = @level, since_ms = @since_ms, breach_windows = @breach_windows,
         last_eval_ms = @last_eval_ms, last_notified_ms = @last_notified_ms, last_value = @last_value, version = version + 1
       WHERE rule = @rule AND group_key = @group_key AND version = @version`,
    ),
    addTransition: db.prepare(
      `INSERT OR IGNORE INTO alert_transitions (rule, group_key, from_status, to_status, kind, level, at_ms, value, detail, notify, created_at_ms)
       VALUES (@rule, @group_key, @from_status, @to_status, @kind, @level, @at_ms, @value, @detail, @notify, @created_at_ms)`,
    ),
    transitions: db.prepare("SELECT * FROM alert_transitions WHERE at_ms >= ? ORDER BY at_ms, id"),
  };

  /** Writes `next` if the stored row is still at `next.version` (0: no row yet); false when another writer got there first. */
  const compareAndSet = (next: AlertStateRecord): boolean => {
    const params = {
      rule: next.rule,
      group_key: next.groupKey,
      status: next.status,
      level: next.level,
      since_ms: next.sinceMs,
      breach_windows: next.breachWindows,
      last_eval_ms: next.lastEvalMs,
      last_notified_ms: next.lastNotifiedMs,
      last_value: next.lastValue,
      version: next.version,
    };
    return (next.version === 0 ? statements.insert.run(params) : statements.update.run(params)).changes === 1;
  };

  const claim = db.transaction((transition: AlertTransitionRecord, next: AlertStateRecord): boolean => {
    if (!compareAndSet(next)) return false;
    const added = statements.addTransition.run({
      rule: transition.rule,
      group_key: transition.groupKey,
      from_status: transition.from,
      to_status: transition.to,
      kind: transition.kind,
      level: transition.level,
      at_ms: transition.atMs,
      value: transition.value,
      detail: transition.detail,
      notify: transition.notify ? 1 : 0,
      created_at_ms: Date.now(),
    });
    // Recorded before (the state row was lost and rebuilt): roll the state write back too.
    if (added.changes !== 1) throw new TransitionTaken();
    return true;
  });

  return {
    /** Every stored state. */
    states: (): AlertStateRecord[] => guard("read alert state", () => statements.states.all().map(alertStateFromRow)),
    /** Saves a state that changed without a transition (a compare-and-set: false when it lost the race). */
    save: (next: AlertStateRecord): boolean => guard("save alert state", () => db.transaction(() => compareAndSet(next)).immediate()),
    /**
     * Records `transition` and moves the state to `next` in one transaction, if the state is still
     * at `next.version` and the transition was not recorded before. True exactly once per
     * transition, whichever process or connection asks.
     */
    claimTransition: (transition: AlertTransitionRecord, next: AlertStateRecord): boolean =>
      guard("claim an alert transition", () => {
        try {
          return claim.immediate(transition, next);
        } catch (error) {
          if (error instanceof TransitionTaken) return false;
          throw error;
        }
      }),
    /** Transitions at or after `sinceMs`, oldest first. */
    transitions: (sinceMs = 0): AlertTransitionRecord[] =>
      guard("read alert transitions", () => statements.transitions.all(sinceMs).map(alertTransitionFromRow)),
  };
}

export type AlertStateStore = ReturnType<typeof prepareAlertStateStore>;
