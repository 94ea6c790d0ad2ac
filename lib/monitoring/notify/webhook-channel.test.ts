import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startWebhookReceiver, type WebhookReceiver } from "@/test-support/monitoring/webhook-receiver";
import type { WebhookConfig } from "./notify-env";
import { WebhookChannel } from "./webhook-channel";

// The webhook channel against a real HTTP receiver on 127.0.0.1 that verifies signatures the
// way the README tells a receiver to.

const SECRET = "a-test-secret-of-32-characters!!";
let receiver: WebhookReceiver;

beforeEach(async () => {
  receiver = await startWebhookReceiver(SECRET);
});
afterEach(async () => {
  await receiver.close();
});

function channel(overrides: Partial<WebhookConfig> = {}, delays: number[] = []) {
  const config: WebhookConfig = {
    url: receiver.url,
    secret: SECRET,
    format: "json",
    maxConsecutiveFailures: 3,
    timeoutMs: 2_000,
    retries: 2,
    backoffMs: 100,
    ...overrides,
  };
  const warnings: string[] = [];
  const webhook = new WebhookChannel(config, {
    random: () => 1,
    sleep: (ms) => {
      delays.push(ms);
      return Promise.resolve();
    },
    warn: (message) => warnings.push(message),
  });
  return { webhook, warnings };
}

describe("WebhookChannel", () => {
  it("delivers the body signed over timestamp and raw body, with the delivery id", async () => {
    const { webhook } = channel();
    const result = await webhook.send("alrt_1", JSON.stringify({ hello: "world" }));
    expect(result).toEqual({ ok: true, attempts: 1 });
    const [delivery] = receiver.deliveries;
    expect(delivery?.verified).toBe(true);
    expect(delivery?.body).toEqual({ hello: "world" });
    expect(delivery?.headers["x-alert-delivery"]).toBe("alrt_1");
    expect(delivery?.headers["x-signature-256"]).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(webhook.status()).toMatchObject({
      state: "active",
      delivered: 1,
      failed: 0,
      signed: true,
      target: new URL(receiver.url).origin,
    });
  });

  it("is refused by a receiver holding another secret, and does not retry a 4xx", async () => {
    const { webhook } = channel({ secret: "another-secret-of-32-characters!" });
    const result = await webhook.send("alrt_2", "{}");
    expect(result).toMatchObject({ ok: false, attempts: 1, error: "HTTP 400" });
    expect(receiver.deliveries).toHaveLength(1);
    expect(receiver.deliveries[0]?.verified).toBe(false);
  });

  it("retries a 500 with exponential backoff and full jitter, then delivers", async () => {
    const delays: number[] = [];
    const { webhook } = channel({ retries: 3 }, delays);
    receiver.behave = (_, index) => (index < 2 ? "error500" : "ok");
    expect(await webhook.send("alrt_3", "{}")).toEqual({ ok: true, attempts: 3 });
    // random() = 1: the ceiling of each jittered wait, 100 · 2^(attempt-1).
    expect(delays).toEqual([100, 200]);
    expect(receiver.deliveries.map((d) => d.status)).toEqual([500, 500, 204]);
    expect(new Set(receiver.deliveries.map((d) => d.headers["x-alert-delivery"]))).toEqual(new Set(["alrt_3"]));
  });

  it("gives up on a receiver that hangs after each attempt's timeout, and send() returns at once", async () => {
    const { webhook } = channel({ timeoutMs: 200, retries: 1 });
    receiver.behave = () => "hang";
    const started = performance.now();
    const pending = webhook.send("alrt_4", "{}");
    expect(performance.now() - started).toBeLessThan(20);
    const result = await pending;
    expect(result).toMatchObject({ ok: false, attempts: 2, error: "no answer within 200 ms" });
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("turns itself off after N failed deliveries in a row; a success in between resets the count", async () => {
    const { webhook, warnings } = channel({ retries: 0, maxConsecutiveFailures: 2 });
    receiver.behave = () => "error500";
    await webhook.send("a", "{}");
    receiver.behave = () => "ok";
    await webhook.send("b", "{}");
    receiver.behave = () => "error500";
    await webhook.send("c", "{}");
    expect(webhook.status()).toMatchObject({ state: "active", consecutiveFailures: 1 });
    await webhook.send("d", "{}");
    expect(webhook.status()).toMatchObject({ state: "disabled", consecutiveFailures: 2, failed: 3, delivered: 1, lastError: "HTTP 500" });
    expect(warnings.join("\n")).toMatch(/disabled after 2 failed deliveries in a row/);
    const before = receiver.deliveries.length;
    expect(await webhook.send("e", "{}")).toMatchObject({ ok: false, attempts: 0, skipped: true });
    expect(receiver.deliveries).toHaveLength(before);
    expect(webhook.status().skipped).toBe(1);
  });

  it("delivers in the order sent: a resolved never overtakes its firing", async () => {
    const { webhook } = channel();
    receiver.behave = (_, index) => (index === 0 ? "error500" : "ok");
    const results = await Promise.all([webhook.send("firing", '{"n":1}'), webhook.send("resolved", '{"n":2}')]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(receiver.accepted().map((d) => d.headers["x-alert-delivery"])).toEqual(["firing", "resolved"]);
  });

  it("sends no signature headers without a secret", async () => {
    const { webhook } = channel({ secret: undefined });
    await webhook.send("x", "{}");
    expect(receiver.deliveries[0]?.headers["x-signature-256"]).toBeUndefined();
    expect(webhook.status().signed).toBe(false);
  });
});
