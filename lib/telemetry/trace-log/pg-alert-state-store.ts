import type pg from "pg";
import { inTransaction } from "@/lib/postgres/transaction";
import { alertStateFromRow, alertTransitionFromRow, type AlertStateRecord, type AlertTransitionRecord } from "./alert-state-store";
import type { AlertStore } from "./trace-store";

/**
 * Alert state in PostgreSQL, with the SQLite store's guarantees (alert-state-store.ts): every
 * write is a compare-and-set on `version`, and a transition is claimed by one transaction only
 * (the unique key on transitions), so of several replicas evaluating the same window exactly
 * one moves the state and notifies. Under READ COMMITTED the UPDATE ... WHERE version = $n
 * waits for a concurrent writer of the row and re-checks the version after it commits.
 */

const STATE_PARAMS = (s: AlertStateRecord) => [
  s.rule,
  s.groupKey,
  s.status,
  s.level,
  s.sinceMs,
  s.breachWindows,
  s.lastEvalMs,
  s.lastNotifiedMs,
  s.lastValue,
  s.version,
];

const INSERT_STATE = `INSERT INTO trace_log.alert_state
  (rule, group_key, status, level, since_ms, breach_windows, last_eval_ms, last_notified_ms, last_value, version)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1)
  ON CONFLICT (rule, group_key) DO NOTHING`;
const UPDATE_STATE = `UPDATE trace_log.alert_state SET status = $3, level = $4, since_ms = $5, breach_windows = $6,
  last_eval_ms = $7, last_notified_ms = $8, last_value = $9, version = version + 1
  WHERE rule = $1 AND group_key = $2 AND version = $10`;

type Guard = <T>(what: string, work: () => Promise<T>) => Promise<T>;

/** Thrown inside the claim's transaction to roll the state write back when the transition was recorded before. */
class TransitionTaken extends Error {}

export class PgAlertStateStore implements AlertStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly guard: Guard,
  ) {}

  states(): Promise<AlertStateRecord[]> {
    return this.guard("read alert state", async () =>
      (await this.pool.query('SELECT * FROM trace_log.alert_state ORDER BY rule COLLATE "C", group_key COLLATE "C"')).rows.map(
        alertStateFromRow,
      ),
    );
  }

  save(next: AlertStateRecord): Promise<boolean> {
    return this.guard("save alert state", () => compareAndSet(this.pool, next));
  }

  claimTransition(transition: AlertTransitionRecord, next: AlertStateRecord): Promise<boolean> {
    return this.guard("claim an alert transition", async () => {
      try {
        return await inTransaction(this.pool, async (db) => {
          if (!(await compareAndSet(db, next))) return false;
          const added = await db.query(
            `INSERT INTO trace_log.alert_transitions
               (rule, group_key, from_status, to_status, kind, level, at_ms, value, detail, notify, created_at_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
             ON CONFLICT (rule, group_key, kind, to_status, at_ms) DO NOTHING`,
            [
              transition.rule,
              transition.groupKey,
              transition.from,
              transition.to,
              transition.kind,
              transition.level,
              transition.atMs,
              transition.value,
              transition.detail,
              transition.notify ? 1 : 0,
              Date.now(),
            ],
          );
          // Recorded before (the state row was lost and rebuilt): roll the state write back too.
          if (added.rowCount !== 1) throw new TransitionTaken();
          return true;
        });
      } catch (error) {
        if (error instanceof TransitionTaken) return false;
        throw error;
      }
    });
  }

  transitions(sinceMs = 0): Promise<AlertTransitionRecord[]> {
    return this.guard("read alert transitions", async () =>
      (await this.pool.query("SELECT * FROM trace_log.alert_transitions WHERE at_ms >= $1 ORDER BY at_ms, id", [sinceMs])).rows.map(
        alertTransitionFromRow,
      ),
    );
  }
}

/** Writes `next` if the stored row is still at `next.version` (0: no row yet); false when another writer got there first. */
async function compareAndSet(db: pg.Pool | pg.PoolClient, next: AlertStateRecord): Promise<boolean> {
  const params = STATE_PARAMS(next);
  const result = await (next.version === 0 ? db.query(INSERT_STATE, params.slice(0, -1)) : db.query(UPDATE_STATE, params));
  return result.rowCount === 1;
}
