import { parseArgs } from "node:util";
import type { z } from "zod";
import { AppError } from "../errors";
import { formatIssuePath } from "../validation/zod-issues";

export interface FlagOptions {
  /** Flags that take no value (`--verbose`); every other key of the schema takes one (`--limit 50`). */
  booleans?: readonly string[];
  /** Flags that may be given more than once; their value is every occurrence, a string[] for the schema. */
  repeatable?: readonly string[];
  /** Short aliases, e.g. `{ h: "help" }`. */
  short?: Readonly<Record<string, string>>;
  /** Accept positional arguments (returned as `_`). */
  positionals?: boolean;
  /** Where the usage is explained, named in every error ("see `npm run eval -- --help`"). */
  usageHint: string;
}

/**
 * The CLIs' one flag parser: node:util's `parseArgs` (strict: an unknown flag is an error)
 * for the syntax, the command's zod schema for types, ranges and defaults. A bad flag is an
 * `AppError("bad_request")` naming the flag and where the usage is, which `runCli` prints
 * and exits on.
 */
export function parseFlags<S extends z.ZodObject>(argv: readonly string[], schema: S, options: FlagOptions): z.infer<S> & { _: string[] } {
  const booleans = new Set(options.booleans ?? []);
  const repeatable = new Set(options.repeatable ?? []);
  const shortOf = new Map(Object.entries(options.short ?? {}).map(([alias, name]) => [name, alias]));
  let parsed: { values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv.filter((arg) => arg !== "--"),
      options: Object.fromEntries(
        Object.keys(schema.shape).map((name) => {
          const alias = shortOf.get(name);
          const type = booleans.has(name) ? ("boolean" as const) : ("string" as const);
          return [name, { type, ...(repeatable.has(name) ? { multiple: true } : {}), ...(alias ? { short: alias } : {}) }];
        }),
      ),
      strict: true,
      allowPositionals: options.positionals ?? false,
    });
  } catch (error) {
    throw new AppError("bad_request", `${error instanceof Error ? error.message : String(error)} (${options.usageHint})`);
  }
  const result = schema.safeParse(parsed.values);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `--${formatIssuePath(issue.path)}: ${issue.message}`);
    throw new AppError("bad_request", `${problems.join("; ")} (${options.usageHint})`);
  }
  return { ...result.data, _: parsed.positionals };
}
