import { AppError } from "./errors";
import { faultEnvSchema, faultInjectionConfig, type FaultInjectionConfig } from "./faults/fault-env";
import { notifyConfig, notifyEnvSchema, type NotifyConfig } from "./monitoring/notify/notify-env";
import { describeZodIssues } from "./validation/zod-issues";

/** The parts of the app's config (lib/config.ts) that alerting reads: how it notifies, and how a test server injects regressions to prove it. */
export interface AlertingConfig {
  /** Alert notifications: webhook (ALERT_WEBHOOK_*), server log, annotations. */
  alertNotify: NotifyConfig;
  /** Test servers only (FAULT_INJECTION_TOKEN + ALLOW_FAULT_INJECTION); absent on every real one. */
  faultInjection?: FaultInjectionConfig;
}

const alertingEnvSchema = notifyEnvSchema.extend(faultEnvSchema.shape);

/** Called by loadConfig only: the environment is read in one place. */
export function alertingConfig(env: Record<string, string | undefined>): AlertingConfig {
  const parsed = alertingEnvSchema.safeParse(env);
  if (!parsed.success)
    throw new AppError("config_invalid", `Invalid environment configuration: ${describeZodIssues(parsed.error).join("; ")}`);
  const faultInjection = faultInjectionConfig(parsed.data);
  return { alertNotify: notifyConfig(parsed.data), ...(faultInjection ? { faultInjection } : {}) };
}
