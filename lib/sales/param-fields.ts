import { z } from "zod";
import { key, shown } from "./sales-value-matching";

/**
 * The building blocks of `sales_query`'s parameter schema: every field takes `unknown` and
 * either maps it onto an allowed value or fails with a message listing the allowed ones, which
 * a model can act on.
 */

export function fail(ctx: z.RefinementCtx, value: unknown, message: string): never {
  ctx.addIssue({ code: "custom", input: value, message });
  return z.NEVER;
}

export function stringOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

/** One of `allowed` (or an alias of one), compared in `key` form; anything else fails listing them. */
export function enumField<T extends string>(field: string, allowed: readonly T[], aliases: Record<string, NoInfer<T>> = {}, hint = "") {
  const lookup = new Map<string, T>();
  for (const value of allowed) lookup.set(key(value), value);
  for (const [alias, value] of Object.entries(aliases)) lookup.set(key(alias), value);
  return z.unknown().transform((value, ctx): T => {
    const text = stringOf(value);
    const found = text === undefined ? undefined : lookup.get(key(text));
    if (found) return found;
    return fail(ctx, value, `${field} ${shown(value)} is not allowed; use one of: ${allowed.join(", ")}${hint}`);
  });
}

/** Absent, `null` and `""` all mean "not given"; anything else must pass `inner`. */
export const optional = <T>(inner: z.ZodType<T>) =>
  z
    .unknown()
    .transform((value, ctx): T | undefined => {
      if (value === undefined || value === null || value === "") return undefined;
      const parsed = inner.safeParse(value);
      if (parsed.success) return parsed.data;
      for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", input: value, message: issue.message });
      return z.NEVER;
    })
    .optional();
