import { faultEnvSchema, faultInjectionConfig, type FaultInjectionConfig } from "./faults/fault-env";
import { notifyConfig, notifyEnvSchema, type NotifyConfig } from "./monitoring/notify/notify-env";
import { parseEnv } from "./validation/parse-env";

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
  const [e] = parseEnv(env, alertingEnvSchema);
  const faultInjection = faultInjectionConfig(e);
  return { alertNotify: notifyConfig(e), ...(faultInjection ? { faultInjection } : {}) };
}
