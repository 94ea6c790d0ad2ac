/**
 * Conversation memory per session id, in process memory. Bounded on both axes (sessions
 * kept, turns per session) so a long-running server cannot grow without limit; the
 * least recently used session goes first. A multi-instance deployment would swap this
 * for a shared store behind the same interface.
 */
export interface Turn {
  user: string;
  assistant: string;
}

export interface SessionStore {
  history(sessionId: string): Turn[];
  append(sessionId: string, turn: Turn): void;
}

export class InMemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, Turn[]>();

  constructor(
    private readonly maxSessions = 1000,
    private readonly maxTurns = 20,
  ) {}

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
    if (turns.length > this.maxTurns) turns.splice(0, turns.length - this.maxTurns);
    this.sessions.set(sessionId, turns);
    while (this.sessions.size > this.maxSessions) {
      const oldest = this.sessions.keys().next().value;
      if (oldest === undefined) break;
      this.sessions.delete(oldest);
    }
  }
}
