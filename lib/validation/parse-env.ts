import type { z } from "zod";
import { AppError } from "../errors";
import { describeZodIssues } from "./zod-issues";

/**
 * The environment read by each schema, in order; when any variable is invalid, one
 * `config_invalid` error naming every bad variable of every schema (so a user fixes them all at
 * once). For loadConfig and its slices only: the environment is read in one place.
 */
export function parseEnv<const T extends readonly z.ZodType[]>(
  env: Record<string, string | undefined>,
  ...schemas: T
): { [K in keyof T]: z.output<T[K]> } {
  const results = schemas.map((schema) => schema.safeParse(env));
  const issues = results.flatMap((result) => (result.success ? [] : describeZodIssues(result.error)));
  if (issues.length > 0) throw new AppError("config_invalid", `Invalid environment configuration: ${issues.join("; ")}`);
  return results.map((result) => result.data) as { [K in keyof T]: z.output<T[K]> };
}
