/**
 * Conversation memory per session id, in process memory. Bounded three ways (sessions kept,
 * turns per session, bytes in all) so a long-running server cannot grow without limit: a
 * count bound alone lets 1,000 sessions of 20 run_code turns (~25 KB each) hold half a
 * gigabyte. The least recently used session goes first. With DATABASE_URL set the app uses
 * the PostgreSQL store instead (pg-session-store.ts), so a conversation continues on any
 * replica; the interface is async for its sake.
 */
export interface Turn {
  user: string;
  assistant: string;
}

export interface SessionStore {
  /** The session's turns, oldest first (empty for an unknown session); marks it most recently used. */
  history(sessionId: string): Promise<Turn[]>;
  append(sessionId: string, turn: Turn): Promise<void>;
}

export interface SessionLimits {
  maxSessions: number;
  maxTurns: number;
  /** UTF-8 bytes of every kept turn's text, all sessions together. */
  maxBytes: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { maxSessions: 1000, maxTurns: 20, maxBytes: 32 * 1024 * 1024 };

export function turnBytes(turn: Turn): number {
  return Buffer.byteLength(turn.user) + Buffer.byteLength(turn.assistant);
}

export class InMemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, Turn[]>();
  private readonly limits: SessionLimits;
  private bytes = 0;

  constructor(limits: Partial<SessionLimits> = {}) {
    this.limits = { ...DEFAULT_SESSION_LIMITS, ...limits };
  }

  /** UTF-8 bytes held now (for tests and health). */
  get size(): { sessions: number; bytes: number } {
    return { sessions: this.sessions.size, bytes: this.bytes };
  }

  history(sessionId: string): Promise<Turn[]> {
    return Promise.resolve(this.historyNow(sessionId));
  }

  append(sessionId: string, turn: Turn): Promise<void> {
    this.appendNow(sessionId, turn);
    return Promise.resolve();
  }

  private historyNow(sessionId: string): Turn[] {
    const turns = this.sessions.get(sessionId);
    if (!turns) return [];
    // Re-insert to mark as most recently used (Map keeps insertion order).
    this.sessions.delete(sessionId);
    this.sessions.set(sessionId, turns);
    return [...turns];
  }

  private appendNow(sessionId: string, turn: Turn): void {
    const turns = this.sessions.get(sessionId) ?? [];
    this.sessions.delete(sessionId);
    turns.push(turn);
    this.bytes += turnBytes(turn);
    this.sessions.set(sessionId, turns);
    while (turns.length > this.limits.maxTurns) this.bytes -= turnBytes(turns.shift()!);
    this.evictOldest(sessionId);
    // Alone over the byte budget: the session keeps its newest turns that fit (at least the last).
    while (this.bytes > this.limits.maxBytes && turns.length > 1) this.bytes -= turnBytes(turns.shift()!);
  }

  /** Drops least recently used sessions, never `keep`, until every bound holds or only `keep` is left. */
  private evictOldest(keep: string): void {
    for (const [id, turns] of this.sessions) {
      if (this.sessions.size <= this.limits.maxSessions && this.bytes <= this.limits.maxBytes) return;
      if (id === keep) continue;
      this.sessions.delete(id);
      for (const t of turns) this.bytes -= turnBytes(t);
    }
  }
}
