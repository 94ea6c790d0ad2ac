import { z } from "zod";
import { intInRange, optionalString, withDefault } from "../../validation/env-values";

/** Alert notifications (ALERT_WEBHOOK_*): where the webhook goes, how it is signed, how hard it tries. */
export const notifyEnvSchema = z.object({
  ALERT_WEBHOOK_URL: withDefault(z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional()),
  /** Signs each body (HMAC-SHA256); unset: deliveries go unsigned. */
  ALERT_WEBHOOK_SECRET: withDefault(z.string().min(16, "must be at least 16 characters").optional()),
  /** `json`: the app's own payload; `slack`: `text` + `blocks` for a Slack incoming webhook. */
  ALERT_WEBHOOK_FORMAT: withDefault(z.enum(["json", "slack"]).default("json")),
  /** Consecutive failed deliveries (after their retries) before the channel turns itself off until restart. */
  ALERT_WEBHOOK_MAX_FAILURES: intInRange(1, 1_000, 5),
  ALERT_WEBHOOK_TIMEOUT_MS: intInRange(100, 120_000, 5_000),
  /** Attempts after the first, with exponential backoff and full jitter from ALERT_WEBHOOK_BACKOFF_MS. */
  ALERT_WEBHOOK_RETRIES: intInRange(0, 10, 3),
  ALERT_WEBHOOK_BACKOFF_MS: intInRange(1, 600_000, 1_000),
  /** A name for this deployment in notifications (e.g. "prod-eu"); default: the app's service name. */
  ALERT_SOURCE_NAME: optionalString,
});

export interface WebhookConfig {
  url: string;
  secret?: string;
  format: "json" | "slack";
  maxConsecutiveFailures: number;
  timeoutMs: number;
  retries: number;
  backoffMs: number;
}

export interface NotifyConfig {
  /** Absent: no webhook; transitions still go to the log and as annotations. */
  webhook?: WebhookConfig;
  sourceName?: string;
}

export function notifyConfig(env: z.infer<typeof notifyEnvSchema>): NotifyConfig {
  return {
    ...(env.ALERT_WEBHOOK_URL
      ? {
          webhook: {
            url: env.ALERT_WEBHOOK_URL,
            ...(env.ALERT_WEBHOOK_SECRET ? { secret: env.ALERT_WEBHOOK_SECRET } : {}),
            format: env.ALERT_WEBHOOK_FORMAT,
            maxConsecutiveFailures: env.ALERT_WEBHOOK_MAX_FAILURES,
            timeoutMs: env.ALERT_WEBHOOK_TIMEOUT_MS,
            retries: env.ALERT_WEBHOOK_RETRIES,
            backoffMs: env.ALERT_WEBHOOK_BACKOFF_MS,
          },
        }
      : {}),
    ...(env.ALERT_SOURCE_NAME ? { sourceName: env.ALERT_SOURCE_NAME } : {}),
  };
}
