import type { AppConfig } from "../config";
import { getPool } from "../postgres/pool";
import { withoutPassword } from "../postgres/redacted-url";
import { PgReviewQueue } from "./pg-review-queue";
import { FileReviewQueue, type ReviewQueueStore } from "./review-queue-store";

/**
 * The review queue /review and `npm run curate` share, chosen by DATABASE_URL: unset, the JSONL
 * file (`file`: REVIEW_QUEUE_PATH or curate's --out); set, PostgreSQL, shared by every replica.
 */
export function openReviewQueue(config: Pick<AppConfig, "database">, file: string): ReviewQueueStore {
  if (!config.database) return new FileReviewQueue(file);
  return new PgReviewQueue(getPool(config.database), withoutPassword(config.database.url));
}
