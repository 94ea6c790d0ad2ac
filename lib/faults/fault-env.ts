import { z } from "zod";
import { AppError } from "../errors";
import { optionalString } from "../validation/env-values";

/**
 * The switch that lets a server inject faults into its own turns. It cannot be half-on: the
 * server needs a token (what requests must carry) AND a written acknowledgement; one without
 * the other stops start-up with `config_invalid`. NODE_ENV cannot serve as the guard because
 * `next start` always runs with NODE_ENV=production.
 */

/** The exact value ALLOW_FAULT_INJECTION must have: no `true`/`1` typed out of habit turns it on. */
export const FAULT_INJECTION_ACKNOWLEDGEMENT = "I_UNDERSTAND_THIS_BREAKS_ANSWERS";

export const faultEnvSchema = z.object({
  FAULT_INJECTION_TOKEN: optionalString,
  ALLOW_FAULT_INJECTION: optionalString,
});

/** Armed: requests carrying the token may inject faults. Absent: the server refuses every fault header. */
export interface FaultInjectionConfig {
  token: string;
}

const MIN_TOKEN_CHARS = 32;

export function faultInjectionConfig(env: z.infer<typeof faultEnvSchema>): FaultInjectionConfig | undefined {
  const { FAULT_INJECTION_TOKEN: token, ALLOW_FAULT_INJECTION: allow } = env;
  if (token === undefined && allow === undefined) return undefined;
  if (allow !== FAULT_INJECTION_ACKNOWLEDGEMENT) {
    throw new AppError(
      "config_invalid",
      `FAULT_INJECTION_TOKEN is set but ALLOW_FAULT_INJECTION is not ${FAULT_INJECTION_ACKNOWLEDGEMENT}: fault injection is for test servers only; unset FAULT_INJECTION_TOKEN on a real one`,
    );
  }
  if (token === undefined || token.length < MIN_TOKEN_CHARS) {
    throw new AppError(
      "config_invalid",
      `ALLOW_FAULT_INJECTION is set: FAULT_INJECTION_TOKEN must be at least ${MIN_TOKEN_CHARS} characters`,
    );
  }
  return { token };
}
