import type { z } from "zod";
import { parseFlags, type FlagOptions } from "../lib/cli/parse-flags";
import { AppError } from "../lib/errors";

/**
 * Runs a command-line entry point: its resolved number is the exit code; an AppError prints
 * as `[code] message` (the code names what to do), anything else with its stack; both exit 1.
 */
export function runCli(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof AppError ? `[${error.code}] ${error.message}` : error);
      process.exit(1);
    },
  );
}

/**
 * The flags of a command that prints its usage: with `--help` the usage and exit status 0, with
 * a bad flag the problem, the usage and 2; otherwise the parsed flags.
 */
export function flagsOrUsage<S extends z.ZodObject>(
  argv: readonly string[],
  schema: S,
  options: Omit<FlagOptions, "usageHint">,
  usage: string,
): (z.infer<S> & { _: string[] }) | number {
  let flags: z.infer<S> & { _: string[] };
  try {
    flags = parseFlags(argv, schema, { ...options, usageHint: "usage below" });
  } catch (error) {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return 2;
  }
  if ((flags as { help?: unknown }).help === true) {
    console.log(usage);
    return 0;
  }
  return flags;
}
