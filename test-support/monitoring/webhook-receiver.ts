import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A webhook receiver on 127.0.0.1 for tests, written as a receiver would write it from the
 * README (not from the app's signing code): it checks `X-Signature-256` against HMAC-SHA256 of
 * `<X-Signature-Timestamp>.<raw body>` and the timestamp's freshness, records every request,
 * and answers as the test's `behave` says (to make deliveries fail, hang or succeed).
 */

export interface ReceivedDelivery {
  at: number;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  body: unknown;
  /** The signature matched the secret and the timestamp was fresh. */
  verified: boolean;
  /** The status it answered (undefined: it hung). */
  status?: number;
}

export type Behaviour = "ok" | "error500" | "reject400" | "hang";

export interface WebhookReceiver {
  url: string;
  deliveries: ReceivedDelivery[];
  /** Deliveries answered 2xx, in order (retries of one delivery id appear once each time they succeed). */
  accepted(): ReceivedDelivery[];
  behave: (request: ReceivedDelivery, index: number) => Behaviour;
  waitFor(predicate: (accepted: ReceivedDelivery[]) => boolean, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

const TOLERANCE_SECONDS = 300;

export function verifySignature(secret: string, headers: http.IncomingHttpHeaders, rawBody: string, nowMs = Date.now()): boolean {
  const timestamp = headers["x-signature-timestamp"];
  const signature = headers["x-signature-256"];
  if (typeof timestamp !== "string" || typeof signature !== "string" || !/^\d+$/.test(timestamp)) return false;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) return false;
  const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(`${timestamp}.${rawBody}`).digest("hex")}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
  const hung: http.ServerResponse[] = [];
  const receiver: WebhookReceiver = {
    url: "",
    deliveries: [],
    accepted: () => receiver.deliveries.filter((d) => d.status !== undefined && d.status < 300),
    behave: () => "ok",
    async waitFor(predicate, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(receiver.accepted())) {
        if (Date.now() > deadline)
          throw new Error(`webhook receiver: condition not met within ${timeoutMs} ms (${receiver.deliveries.length} requests)`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of hung) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      let body: unknown;
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = undefined;
      }
      const delivery: ReceivedDelivery = {
        at: Date.now(),
        headers: request.headers,
        rawBody,
        body,
        verified: verifySignature(secret, request.headers, rawBody),
      };
      receiver.deliveries.push(delivery);
      const behaviour = delivery.verified ? receiver.behave(delivery, receiver.deliveries.length - 1) : "reject400";
      if (behaviour === "hang") return void hung.push(response);
      delivery.status = behaviour === "ok" ? 204 : behaviour === "error500" ? 500 : 400;
      response.writeHead(delivery.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/alerts`;
  return receiver;
}
