import type { AppConfig } from "../config";
import { getPool } from "../postgres/pool";
import { PgSessionStore } from "./pg-session-store";
import { InMemorySessionStore, type SessionStore } from "./session-store";

/**
 * The app's session store, chosen by DATABASE_URL: unset, process memory (sessions die with
 * the process); set, PostgreSQL, shared by every replica. Shared sessions only help when every
 * replica recognises the ids the others issue, which needs one SESSION_SECRET on all of them.
 */
export function createSessionStore(
  config: Pick<AppConfig, "database" | "sessions">,
  warn: (message: string) => void = (m) => console.warn(m),
): SessionStore {
  if (!config.database) return new InMemorySessionStore();
  if (!config.sessions.secret) {
    warn(
      "[sessions] DATABASE_URL is set but SESSION_SECRET is not: each replica draws its own, so a conversation continues only on the replica that started it",
    );
  }
  return new PgSessionStore(getPool(config.database));
}
