import { timingSafeEqual } from "node:crypto";
import { AppError } from "../errors";
import type { FaultInjectionConfig } from "./fault-env";
import { parseFaultSpecs, type FaultSet } from "./fault-spec";

/** The faults asked for, comma-separated specs (`latency=2x,errors=10%`). */
export const FAULT_INJECT_HEADER = "x-fault-inject";
/** The server's FAULT_INJECTION_TOKEN; without it the faults are refused. */
export const FAULT_TOKEN_HEADER = "x-fault-token";

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The faults a request asks for, or undefined when it asks for none. A request that asks on a
 * server that is not armed, or without the right token, is refused (403) rather than served
 * clean: a traffic run that believes it injected a regression must not silently measure a
 * healthy app.
 */
export function requestedFaults(headers: Headers, armed: FaultInjectionConfig | undefined): FaultSet | undefined {
  const asked = headers.get(FAULT_INJECT_HEADER);
  if (asked === null) return undefined;
  if (!armed) {
    throw new AppError("forbidden", "Fault injection is not enabled on this server (FAULT_INJECTION_TOKEN + ALLOW_FAULT_INJECTION)");
  }
  if (!sameToken(headers.get(FAULT_TOKEN_HEADER) ?? "", armed.token)) {
    throw new AppError("forbidden", `Fault injection needs the server's token in ${FAULT_TOKEN_HEADER}`);
  }
  const faults = parseFaultSpecs(asked.split(",").filter((s) => s.trim() !== ""));
  return Object.keys(faults).length > 0 ? faults : undefined;
}
