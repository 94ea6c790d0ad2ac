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
