/**
 * Conversation memory per session id, in process memory. Bounded three ways (sessions kept,
 * turns per session, bytes in all) so a long-running server cannot grow without limit: a
 * count bound alone lets 1,000 sessions of 20 run_code turns (~25 KB each) hold half a
 * gigabyte. The least recently used session goes first. A multi-instance deployment would
 * swap this for a shared store behind the same interface.
 */
export interface Turn {
  user: string;
  assistant: string;
}

export interface SessionStore {
  history(sessionId: string): Turn[];
  append(sessionId: string, turn: Turn): void;
}

export interface SessionLimits {
  maxSessions: number;
  maxTurns: number;
  /** UTF-8 bytes of every kept turn's text, all sessions together. */
  maxBytes: number;
}

const DEFAULT_LIMITS: SessionLimits = { maxSessions: 1000, maxTurns: 20, maxBytes: 32 * 1024 * 1024 };

function turnBytes(turn: Turn): number {
  return Buffer.byteLength(turn.user) + Buffer.byteLength(turn.assistant);
}

export class InMemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, Turn[]>();
  private readonly limits: SessionLimits;
  private bytes = 0;

  constructor(limits: Partial<SessionLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** UTF-8 bytes held now (for tests and health). */
  get size(): { sessions: number; bytes: number } {
    return { sessions: this.sessions.size, bytes: this.bytes };
  }

  history(sessionId: string): Turn[] {
    const turns = this.sessions.get(sessionId);
    if (!turns) return [];
    // Re-insert to mark as most recently used (Map keeps insertion order).
    this.sessions.delete(sessionId);
    this.sessions.set(sessionId, turns);
    return [...turns];
  }

  append(sessionId: string, turn: Turn): void {
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
