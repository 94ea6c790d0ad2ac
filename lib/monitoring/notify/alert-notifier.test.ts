import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startWebhookReceiver, type WebhookReceiver } from "@/test-support/monitoring/webhook-receiver";
import type { SpanAnnotationInput } from "@/lib/telemetry/phoenix-rest-schemas";
import type { AnnotationInput } from "@/lib/telemetry/trace-log/trace-log-records";
import type { AlertTransition } from "../alert-evaluator";
import { alertRuleSchema, type AlertRule } from "../alert-rules";
import type { RequestFacts } from "../request-facts";
import { AlertNotifier } from "./alert-notifier";

const SECRET = "a-test-secret-of-32-characters!!";
const WINDOW_END = Date.UTC(2026, 11, 5, 12, 0, 0);

const latencyRule: AlertRule = alertRuleSchema.parse({
  name: "p95-latency",
  metric: "request_latency_ms",
  aggregation: "p95",
  window: "1m",
  condition: { type: "threshold", direction: "above", alert: 1000 },
  severity: "critical",
  runbook: "https://example.com/runbooks/latency",
});
const errorRule: AlertRule = alertRuleSchema.parse({
  name: "error-rate",
  metric: "error_rate",
  aggregation: "rate",
  window: "1m",
  condition: { type: "threshold", direction: "above", alert: 0.1 },
  severity: "critical",
  runbook: "README.md#runbook-errors",
});

function request(traceId: string, latencyMs: number, failed = false, offsetMs = 1_000): RequestFacts {
  const groups = { route: "calculator", model: "m", app_version: "1", prompt_version: "p", segment: "anonymous", source: "production" };
  return { traceId, startMs: WINDOW_END - 60_000 + offsetMs, groups, failed, latencyMs, steps: [] };
}

function transition(rule: AlertRule, to: "firing" | "resolved", value: number): AlertTransition {
  return {
    rule: rule.name,
    groupKey: "*",
    from: to === "firing" ? "pending" : "firing",
    to,
    kind: "status",
    level: to === "firing" ? "alert" : null,
    atMs: WINDOW_END,
    value,
    detail: `${value} above 1000`,
    notify: true,
    severity: rule.severity,
    runbook: rule.runbook,
    n: 3,
  };
}

let receiver: WebhookReceiver;
beforeEach(async () => {
  receiver = await startWebhookReceiver(SECRET);
});
afterEach(async () => {
  await receiver.close();
});

function notifier(format: "json" | "slack" = "json") {
  const lines: string[] = [];
  const logged: AnnotationInput[] = [];
  const phoenix: SpanAnnotationInput[] = [];
  const requests = [request("a".repeat(32), 400), request("b".repeat(32), 3_000, false, 2_000), request("c".repeat(32), 900, true, 3_000)];
  const n = new AlertNotifier({
    config: {
      webhook: { url: receiver.url, secret: SECRET, format, maxConsecutiveFailures: 3, timeoutMs: 300, retries: 1, backoffMs: 10 },
      sourceName: "test-app",
    },
    defaultSource: "rag-agent",
    rules: () => [latencyRule, errorRule],
    requests: (since, until) => Promise.resolve(requests.filter((r) => r.startMs >= since && r.startMs < until)),
    traceLog: {
      addAnnotation: (input) => {
        logged.push(input);
        return {
          id: logged.length,
          traceId: input.traceId,
          spanId: "1".repeat(16),
          name: input.name,
          annotatorKind: input.annotatorKind,
          label: null,
          score: null,
          explanation: null,
          metadata: {},
          runId: null,
          createdAtMs: 0,
        };
      },
    },
    phoenix: {
      annotateSpans: (annotations) => {
        phoenix.push(...annotations);
        return Promise.resolve([]);
      },
    },
    traceUrl: (id) => `http://phoenix.test/trace/${id}`,
    log: (line) => lines.push(line),
    warn: (line) => lines.push(line),
  });
  return { notifier: n, lines, logged, phoenix };
}

describe("AlertNotifier", () => {
  it("logs one line, annotates the p95 request of the window and posts the signed JSON payload", async () => {
    const { notifier: n, lines, logged, phoenix } = notifier();
    const { id, done } = n.notify(transition(latencyRule, "firing", 2_900));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\[alerts\] FIRING p95-latency \(critical, alert\): request_latency_ms p95 = 2900 .*runbook https:\/\/example.com\/runbooks\/latency; id alrt_/,
    );
    const result = await done;
    expect(result.traceId).toBe("b".repeat(32));
    expect(result.delivery).toEqual({ ok: true, attempts: 1 });
    const [delivery] = receiver.accepted();
    expect(delivery?.verified).toBe(true);
    expect(delivery?.body).toMatchObject({
      version: 1,
      id,
      event: "alert.firing",
      state: "firing",
      previous_state: "pending",
      source: "test-app",
      rule: { name: "p95-latency", severity: "critical", metric: "request_latency_ms", aggregation: "p95", window_ms: 60_000 },
      group: "*",
      level: "alert",
      value: 2_900,
      samples: 3,
      window: { start: new Date(WINDOW_END - 60_000).toISOString(), end: new Date(WINDOW_END).toISOString() },
      trace: { trace_id: "b".repeat(32), url: `http://phoenix.test/trace/${"b".repeat(32)}` },
    });
    expect(logged).toEqual([
      expect.objectContaining({ traceId: "b".repeat(32), name: "alert.p95-latency", annotatorKind: "CODE", label: "firing", score: 2_900 }),
    ]);
    expect(phoenix).toEqual([
      expect.objectContaining({ spanId: "1".repeat(16), name: "alert.p95-latency", label: "firing", identifier: id }),
    ]);
    expect(n.status()).toMatchObject({ notified: { firing: 1, resolved: 0 }, webhook: { delivered: 1, state: "active" } });
  });

  it("annotates a failed request while an error rule fires and a clean one once it resolves", async () => {
    const { notifier: n, logged } = notifier();
    await n.notify(transition(errorRule, "firing", 0.33)).done;
    await n.notify(transition(errorRule, "resolved", 0)).done;
    expect(logged.map((a) => [a.traceId, a.label])).toEqual([
      ["c".repeat(32), "firing"],
      ["a".repeat(32), "resolved"],
    ]);
    expect(receiver.accepted().map((d) => (d.body as { event: string }).event)).toEqual(["alert.firing", "alert.resolved"]);
  });

  it("posts Slack's text and blocks in the slack format", async () => {
    const { notifier: n } = notifier("slack");
    await n.notify(transition(errorRule, "firing", 0.33)).done;
    const body = receiver.accepted()[0]?.body as { text: string; blocks: { type: string }[] };
    expect(body.text).toMatch(/^:red_circle: FIRING error-rate \(critical, alert\): error_rate rate = 0.330/);
    expect(body.blocks.map((b) => b.type)).toEqual(["section", "context", "section"]);
    expect(JSON.stringify(body.blocks)).toContain("Runbook: README.md#runbook-errors");
  });

  it("returns at once while the webhook hangs, and gives up after its timeouts", async () => {
    const { notifier: n } = notifier();
    receiver.behave = () => "hang";
    const started = performance.now();
    const { done } = n.notify(transition(latencyRule, "firing", 2_900));
    expect(performance.now() - started).toBeLessThan(20);
    expect((await done).delivery).toMatchObject({ ok: false, attempts: 2 });
    expect(n.status().webhook).toMatchObject({ failed: 1, consecutiveFailures: 1, lastError: "no answer within 300 ms" });
  });
});
