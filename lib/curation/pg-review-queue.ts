import type pg from "pg";
import { z } from "zod";
import { AppError } from "../errors";
import { databaseError } from "../postgres/pool";
import { migrateSchema } from "../postgres/schema-migrations";
import { inTransaction } from "../postgres/transaction";
import { describeZodIssues } from "../validation/zod-issues";
import { reviewCandidateSchema, type ReviewCandidate } from "./review-queue";
import { withDecision, type CandidateDecision, type ReviewQueueStore } from "./review-queue-store";

/**
 * The review queue in PostgreSQL (DATABASE_URL): one row per candidate, the whole candidate as
 * JSON (validated on the way in and out, as the JSONL file's lines are) and its status beside
 * it. A decision locks its row (`SELECT … FOR UPDATE`) for as long as it runs, so two reviewers
 * on any replicas deciding one candidate take turns and the second finds it decided; curation
 * adds rows with `ON CONFLICT DO NOTHING`, so it never re-opens, replaces or drops a decision.
 */

const MIGRATIONS: readonly string[] = [
  `
  CREATE SCHEMA IF NOT EXISTS review;
  CREATE TABLE review.candidates (
    trace_id TEXT PRIMARY KEY,
    -- Queue order: the order curation proposed them, as the file's lines.
    position INTEGER GENERATED ALWAYS AS IDENTITY,
    status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected')),
    candidate TEXT NOT NULL
  );
  CREATE INDEX candidates_by_position ON review.candidates (position);
  `,
];

/** An error of the caller's `work`, carried through the transaction untouched (it is not the database's). */
class WorkFailed extends Error {
  constructor(readonly error: unknown) {
    super("review decision failed");
  }
}

const rowSchema = z.object({ trace_id: z.string(), candidate: z.string() });

function candidateFromRow(row: unknown): ReviewCandidate {
  const r = rowSchema.parse(row);
  let value: unknown;
  try {
    value = JSON.parse(r.candidate);
  } catch (error) {
    throw new AppError("review_queue_invalid", `review queue row ${r.trace_id} is not valid JSON`, { cause: error });
  }
  const parsed = reviewCandidateSchema.safeParse(value);
  if (!parsed.success)
    throw new AppError("review_queue_invalid", `review queue row ${r.trace_id}: ${describeZodIssues(parsed.error).join("; ")}`);
  return parsed.data;
}

// PostgreSQL text cannot hold NUL; JSON.stringify escapes it inside strings, so the text never has one.
const candidateText = (candidate: ReviewCandidate) => JSON.stringify(reviewCandidateSchema.parse(candidate));

export class PgReviewQueue implements ReviewQueueStore {
  private ready: Promise<void> | undefined;

  constructor(
    private readonly pool: pg.Pool,
    readonly location: string,
  ) {}

  /** Creates or upgrades the table (once; retried after a failure). */
  migrate(): Promise<void> {
    this.ready ??= migrateSchema(this.pool, "review_queue", MIGRATIONS).catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  list(): Promise<ReviewCandidate[]> {
    return this.guard("read the review queue", async () =>
      (await this.pool.query("SELECT trace_id, candidate FROM review.candidates ORDER BY position")).rows.map(candidateFromRow),
    );
  }

  decide<T>(
    traceId: string,
    work: (candidate: ReviewCandidate | undefined) => Promise<{ result: T; decision?: CandidateDecision }>,
  ): Promise<T> {
    return this.guard("decide on a review candidate", () =>
      inTransaction(this.pool, async (db) => {
        const { rows } = await db.query("SELECT trace_id, candidate FROM review.candidates WHERE trace_id = $1 FOR UPDATE", [traceId]);
        const candidate = rows[0] === undefined ? undefined : candidateFromRow(rows[0]);
        const { result, decision } = await work(candidate).catch((error: unknown) => {
          throw new WorkFailed(error);
        });
        if (candidate && decision) {
          await db.query("UPDATE review.candidates SET status = $2, candidate = $3 WHERE trace_id = $1", [
            traceId,
            decision.status,
            candidateText(withDecision(candidate, decision)),
          ]);
        }
        return result;
      }),
    );
  }

  merge(proposed: readonly ReviewCandidate[]): Promise<{ added: ReviewCandidate[]; size: number }> {
    return this.guard("add to the review queue", async () => {
      const added: ReviewCandidate[] = [];
      // One row at a time, in order: positions follow the proposal order, and a trace queued
      // meanwhile (another curate run) is skipped, not replaced.
      for (const candidate of proposed) {
        const { rowCount } = await this.pool.query(
          "INSERT INTO review.candidates (trace_id, status, candidate) VALUES ($1, $2, $3) ON CONFLICT (trace_id) DO NOTHING",
          [candidate.traceId, candidate.status, candidateText(candidate)],
        );
        if (rowCount === 1) added.push(candidate);
      }
      const { rows } = await this.pool.query("SELECT count(*)::int AS size FROM review.candidates");
      return { added, size: z.object({ size: z.number() }).parse(rows[0]).size };
    });
  }

  private async guard<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      await this.migrate();
      return await work();
    } catch (error) {
      if (error instanceof WorkFailed) throw error.error;
      throw databaseError(error, `cannot ${what}`);
    }
  }
}
