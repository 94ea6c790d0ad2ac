import { z } from "zod";

/**
 * Schemas for one environment variable each. An empty value (`FOO=` in a .env file) means
 * "unset", so every schema here falls back to its default rather than failing on "".
 */

const emptyToUndefined = (value: unknown) => (value === "" ? undefined : value);

export const optionalString = z.preprocess(emptyToUndefined, z.string().optional());

export const withDefault = <T extends z.ZodType>(schema: T) => z.preprocess(emptyToUndefined, schema);

export const intInRange = (min: number, max: number, fallback: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().min(min).max(max).default(fallback));

export const numberInRange = (min: number, max: number, fallback: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number().min(min).max(max).default(fallback));

/** true/false/1/0, any case; empty or unset is the fallback. */
export const envFlag = (fallback = false) =>
  z.preprocess(
    (value) => (typeof value === "string" ? value.trim().toLowerCase() : value),
    z
      .enum(["", "true", "false", "1", "0"])
      .optional()
      .transform((v) => (v === undefined || v === "" ? fallback : v === "true" || v === "1")),
  );

const SWITCH_STATES = ["on", "off"] as const;

/** An `on` / `off` variable, read as a boolean. */
export const onOffSwitch = (fallback: (typeof SWITCH_STATES)[number]) =>
  z.preprocess(emptyToUndefined, z.enum(SWITCH_STATES).default(fallback)).transform((state) => state === "on");
