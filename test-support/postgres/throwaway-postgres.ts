import type { LocalPostgres } from "@/lib/postgres/local-postgres";
import { startTemporaryPostgres } from "@/lib/postgres/temporary-postgres";

/**
 * A PostgreSQL (with pgvector) for one test file: the project's venv (built here if missing, as
 * `npm run db` builds it), a free port on 127.0.0.1, a fresh cluster in a temp folder with fsync
 * off, and never DATABASE_URL's server. `stop()` also removes the folder.
 */
export function startThrowawayPostgres(root: string, database = "rag_test"): Promise<LocalPostgres> {
  return startTemporaryPostgres({ root, database, unsafeFast: true, onProgress: (line) => console.log(`[postgres venv] ${line}`) });
}
