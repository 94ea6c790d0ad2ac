import type { z } from "zod";

/**
 * One line per zod issue, "path: message" ("(root)" for the value itself), at most `limit`
 * of them with a count of the rest: what every boundary puts in its 4xx or file error.
 */
export function describeZodIssues(error: z.ZodError, limit = 20): string[] {
  const lines = error.issues.slice(0, limit).map((issue) => `${formatIssuePath(issue.path) || "(root)"}: ${issue.message}`);
  if (error.issues.length > limit) lines.push(`… and ${error.issues.length - limit} more`);
  return lines;
}

/** `["turns", 2, "message"]` → `turns[2].message`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path.map((part, i) => (typeof part === "number" ? `[${part}]` : `${i > 0 ? "." : ""}${String(part)}`)).join("");
}
