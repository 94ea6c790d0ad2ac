import { createHmac } from "node:crypto";

/**
 * How a receiver knows a delivery came from this app and is fresh (README, "Verifying a
 * webhook"): `X-Signature-256: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>` with
 * `X-Signature-Timestamp: <unix seconds>`. The timestamp is inside the signed content, so an
 * old delivery replayed later fails the receiver's freshness check without its signature
 * being forgeable; each retry is signed afresh with its own timestamp.
 */
const SIGNATURE_HEADER = "x-signature-256";
const TIMESTAMP_HEADER = "x-signature-timestamp";
export const DELIVERY_HEADER = "x-alert-delivery";

export function signatureOf(secret: string, timestampSeconds: number, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestampSeconds}.${body}`).digest("hex")}`;
}

export function signatureHeaders(secret: string | undefined, body: string, nowMs: number): Record<string, string> {
  if (secret === undefined) return {};
  const timestamp = Math.floor(nowMs / 1000);
  return { [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: signatureOf(secret, timestamp, body) };
}
