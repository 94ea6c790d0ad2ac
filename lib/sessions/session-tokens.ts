import crypto from "node:crypto";

const ID_CHARS = 22; // 16 random bytes, base64url
const SIGNATURE_BYTES = 16;

/**
 * Session ids the server issues and can recognise as its own: a random id and an HMAC of it
 * under the server's secret, 44 characters of `[A-Za-z0-9_-]`. A session id is the only key to
 * a conversation's history, so one a client made up (or guessed) is never honoured: the turn
 * starts a new session instead. Without a configured secret each process draws one, which
 * fits the in-memory session store (its sessions die with the process too).
 */
export class SessionTokens {
  private readonly secret: Buffer;

  constructor(secret?: string) {
    this.secret = secret ? Buffer.from(secret, "utf8") : crypto.randomBytes(32);
  }

  issue(): string {
    const id = crypto.randomBytes(16).toString("base64url");
    return `${id}${this.sign(id)}`;
  }

  /** Whether `token` is a session id this server issued. */
  owns(token: string | undefined): token is string {
    if (!token || token.length !== ID_CHARS + Math.ceil((SIGNATURE_BYTES * 4) / 3)) return false;
    const expected = Buffer.from(this.sign(token.slice(0, ID_CHARS)));
    const given = Buffer.from(token.slice(ID_CHARS));
    return given.length === expected.length && crypto.timingSafeEqual(given, expected);
  }

  private sign(id: string): string {
    return crypto.createHmac("sha256", this.secret).update(id).digest().subarray(0, SIGNATURE_BYTES).toString("base64url");
  }
}
