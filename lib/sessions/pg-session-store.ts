import type pg from "pg";
import { z } from "zod";
import { databaseError } from "../postgres/pool";
import { migrateSchema } from "../postgres/schema-migrations";
import { inTransaction } from "../postgres/transaction";
import { DEFAULT_SESSION_LIMITS, turnBytes, type SessionLimits, type SessionStore, type Turn } from "./session-store";

/**
 * Conversation memory in PostgreSQL (DATABASE_URL), so a conversation continues on whichever
 * replica takes its next turn. The bounds are the in-memory store's (session-store.ts), kept in
 * SQL: turns per session, sessions kept, UTF-8 bytes in all, least recently used first.
 * Recency is a sequence number, not a clock, so replicas with skewed clocks agree on the order.
 * Every append takes one transaction-scoped advisory lock: appends are a chat turn's last step
 * (seconds apart), and serialising them keeps the global bounds exact across replicas.
 */

const MIGRATIONS: readonly string[] = [
  `
  CREATE SEQUENCE session_use_seq;
  CREATE TABLE sessions (
    session_id TEXT PRIMARY KEY,
    last_used BIGINT NOT NULL,
    next_turn INTEGER NOT NULL,
    bytes BIGINT NOT NULL
  );
  CREATE INDEX sessions_by_use ON sessions (last_used);
  CREATE TABLE session_turns (
    session_id TEXT NOT NULL REFERENCES sessions (session_id) ON DELETE CASCADE,
    turn_no INTEGER NOT NULL,
    user_text TEXT NOT NULL,
    assistant_text TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    PRIMARY KEY (session_id, turn_no)
  );
  `,
];

const turnRowSchema = z.object({ user_text: z.string(), assistant_text: z.string() });
const sizeRowSchema = z.object({ sessions: z.number().int(), bytes: z.number().int() });
const turnNoSchema = z.object({ turn_no: z.number().int() });

// PostgreSQL text cannot hold NUL; a turn is conversation text, where U+FFFD loses nothing of use.
const storable = (text: string) => text.replaceAll("\u0000", "\uFFFD");

export class PgSessionStore implements SessionStore {
  private readonly limits: SessionLimits;
  private ready: Promise<void> | undefined;

  constructor(
    private readonly pool: pg.Pool,
    limits: Partial<SessionLimits> = {},
  ) {
    this.limits = { ...DEFAULT_SESSION_LIMITS, ...limits };
  }

  /** Creates or upgrades the tables (once per store; every method waits for it). */
  migrate(): Promise<void> {
    this.ready ??= migrateSchema(this.pool, "sessions", MIGRATIONS).catch((error: unknown) => {
      this.ready = undefined; // a database that was down at start-up is retried next call
      throw error;
    });
    return this.ready;
  }

  history(sessionId: string): Promise<Turn[]> {
    return this.guard("cannot read the conversation", () => this.read(sessionId));
  }

  append(sessionId: string, turn: Turn): Promise<void> {
    return this.guard("cannot keep the conversation", () => this.write(sessionId, turn));
  }

  private async read(sessionId: string): Promise<Turn[]> {
    await this.migrate();
    await this.pool.query("UPDATE sessions SET last_used = nextval('session_use_seq') WHERE session_id = $1", [sessionId]);
    const { rows } = await this.pool.query("SELECT user_text, assistant_text FROM session_turns WHERE session_id = $1 ORDER BY turn_no", [
      sessionId,
    ]);
    return rows.map((row) => {
      const r = turnRowSchema.parse(row);
      return { user: r.user_text, assistant: r.assistant_text };
    });
  }

  private async write(sessionId: string, turn: Turn): Promise<void> {
    await this.migrate();
    const stored = { user: storable(turn.user), assistant: storable(turn.assistant) };
    await inTransaction(this.pool, async (db) => {
      await db.query("SELECT pg_advisory_xact_lock(hashtext('sessions:append'))");
      const { rows } = await db.query(
        `INSERT INTO sessions (session_id, last_used, next_turn, bytes) VALUES ($1, nextval('session_use_seq'), 1, 0)
         ON CONFLICT (session_id) DO UPDATE SET last_used = EXCLUDED.last_used, next_turn = sessions.next_turn + 1
         RETURNING next_turn AS turn_no`,
        [sessionId],
      );
      const { turn_no: turnNo } = turnNoSchema.parse(rows[0]);
      await db.query("INSERT INTO session_turns (session_id, turn_no, user_text, assistant_text, bytes) VALUES ($1, $2, $3, $4, $5)", [
        sessionId,
        turnNo,
        stored.user,
        stored.assistant,
        turnBytes(stored),
      ]);
      await db.query("DELETE FROM session_turns WHERE session_id = $1 AND turn_no <= $2", [sessionId, turnNo - this.limits.maxTurns]);
      await this.evictOthers(db, sessionId);
      await this.trimAlone(db, sessionId);
    });
  }

  /** Sessions and bytes held now (tests and health). */
  async size(): Promise<{ sessions: number; bytes: number }> {
    await this.migrate();
    const { rows } = await this.pool.query("SELECT count(*)::int AS sessions, coalesce(sum(bytes), 0)::float8 AS bytes FROM sessions");
    return sizeRowSchema.parse(rows[0]);
  }

  /** A database that is down or refusing becomes `database_unavailable` (503), not a 500. */
  private async guard<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw databaseError(error, what);
    }
  }

  /**
   * Drops least recently used sessions, never `keep`, until every bound holds: the newest
   * sessions are kept while their running count and bytes, with `keep`'s, fit.
   */
  private async evictOthers(db: pg.PoolClient, keep: string): Promise<void> {
    const keepBytes = await refreshBytes(db, keep);
    await db.query(
      `DELETE FROM sessions WHERE session_id IN (
         SELECT session_id FROM (
           SELECT session_id,
                  count(*) OVER newest_first AS kept,
                  sum(bytes) OVER newest_first AS kept_bytes
           FROM sessions WHERE session_id <> $1
           WINDOW newest_first AS (ORDER BY last_used DESC ROWS UNBOUNDED PRECEDING)
         ) ranked
         WHERE kept + 1 > $2 OR kept_bytes + $3 > $4
       )`,
      [keep, this.limits.maxSessions, keepBytes, this.limits.maxBytes],
    );
  }

  /** Alone over the byte budget: the session keeps its newest turns that fit (at least the last). */
  private async trimAlone(db: pg.PoolClient, sessionId: string): Promise<void> {
    const { rowCount } = await db.query(
      `DELETE FROM session_turns WHERE session_id = $1 AND turn_no IN (
         SELECT turn_no FROM (
           SELECT turn_no,
                  row_number() OVER newest_first AS n,
                  sum(bytes) OVER newest_first AS kept_bytes
           FROM session_turns WHERE session_id = $1
           WINDOW newest_first AS (ORDER BY turn_no DESC ROWS UNBOUNDED PRECEDING)
         ) ranked
         WHERE n > 1 AND kept_bytes > $2
       )`,
      [sessionId, this.limits.maxBytes],
    );
    if ((rowCount ?? 0) > 0) await refreshBytes(db, sessionId);
  }
}

/** Recomputes a session's byte count from its turns and returns it. */
async function refreshBytes(db: pg.PoolClient, sessionId: string): Promise<number> {
  const { rows } = await db.query(
    `UPDATE sessions SET bytes = (SELECT coalesce(sum(bytes), 0) FROM session_turns WHERE session_id = $1)
     WHERE session_id = $1 RETURNING bytes::float8 AS bytes`,
    [sessionId],
  );
  return z.object({ bytes: z.number().int() }).parse(rows[0]).bytes;
}
