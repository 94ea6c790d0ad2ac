import path from "node:path";
import { z } from "zod";

export const SCENARIOS = ["sessions", "overload", "disconnect", "fuzz", "phoenix", "kill9", "full-disk", "sandbox"] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export const USAGE = `npm run chaos -- [options]

Load, faults and fuzzing against the production build (\`next build\` first) on 127.0.0.1, with
the local model. Starts its own servers on free ports with throwaway trace logs; prints a table
and writes the figures to .data/chaos/report-<timestamp>.json. Exit 1 when a scenario fails its
check (the reason is printed), 2 on bad flags.

  --short                 the CI version: 4 sessions x 30 s, small storms, CHAT_MAX_QUEUE=2 unless set
  --only <a,b,...>        run these scenarios only: ${SCENARIOS.join(", ")}
  --sessions <n>          concurrent sessions in "sessions" (default 20; --short 4)
  --minutes <m>           how long "sessions" runs (default 5; --short 0.5)
  --full-disk <how>       auto (default: a tmpfs if one can be mounted, else a file size limit), tmpfs, fsize
  --seed <n>              questions, think times and fuzz cases (default 42)
  --json <path>           where to write the report (default .data/chaos/report-<timestamp>.json)
  -h, --help              this text`;

const positiveNumber = z.coerce.number().positive();

export const chaosFlagsSchema = z.object({
  short: z.boolean().default(false),
  only: z
    .string()
    .transform((list) => list.split(",").map((name) => name.trim()))
    .pipe(z.array(z.enum(SCENARIOS)).min(1))
    .optional(),
  sessions: z.coerce.number().int().min(1).max(200).optional(),
  minutes: positiveNumber.max(120).optional(),
  "full-disk": z.enum(["auto", "tmpfs", "fsize"]).default("auto"),
  seed: z.coerce.number().int().min(0).default(42),
  json: z.string().min(1).optional(),
  help: z.boolean().default(false),
});

export const CHAOS_FLAG_OPTIONS = { booleans: ["short", "help"], short: { h: "help" } } as const;

/** How big each scenario is: the full run, or the CI version (`--short`). */
export interface ChaosSizes {
  sessions: number;
  sessionMs: number;
  /** Streams started and cut off in the disconnect storm. */
  disconnects: number;
  fuzzRequests: number;
  /** Odd but valid questions (unicode, injections) sent through to the agent's router. */
  fuzzValidQuestions: number;
  /** Turns timed on each server in the Phoenix blackhole scenario. */
  blackholeTurns: number;
  /** Sessions playing while the server is killed. */
  killSessions: number;
  /** Turns at most while waiting for the full disk to show. */
  fullDiskTurns: number;
  sandboxBombs: number;
}

export interface ChaosOptions {
  scenarios: ScenarioName[];
  sizes: ChaosSizes;
  short: boolean;
  fullDisk: "auto" | "tmpfs" | "fsize";
  seed: number;
  reportFile: string;
}

/**
 * What every server of the run gets on top of this shell's environment: the embedded model (the
 * figures are its, and thousands of requests must not go to a paid API), and for --short a
 * queue of 2, so a burst at twice the capacity drains in CI time.
 */
export function serverOverrides(short: boolean, env: Record<string, string | undefined> = process.env): Record<string, string> {
  return { LLM_PROVIDER: "local", ...(short && env.CHAT_MAX_QUEUE === undefined ? { CHAT_MAX_QUEUE: "2" } : {}) };
}

export function chaosOptions(flags: z.infer<typeof chaosFlagsSchema>, now = new Date()): ChaosOptions {
  const short = flags.short;
  const stamp = now.toISOString().replace(/[:.]/g, "-");
  return {
    scenarios: flags.only ? SCENARIOS.filter((name) => flags.only?.includes(name)) : [...SCENARIOS],
    sizes: {
      sessions: flags.sessions ?? (short ? 4 : 20),
      sessionMs: (flags.minutes ?? (short ? 0.5 : 5)) * 60_000,
      disconnects: short ? 12 : 40,
      // Fuzz is cheap (almost every case is refused before any model work), so CI runs all of it.
      fuzzRequests: 1_000,
      fuzzValidQuestions: short ? 4 : 12,
      blackholeTurns: short ? 3 : 8,
      killSessions: short ? 3 : 6,
      fullDiskTurns: short ? 6 : 12,
      sandboxBombs: short ? 4 : 16,
    },
    short,
    fullDisk: flags["full-disk"],
    seed: flags.seed,
    reportFile: path.resolve(flags.json ?? path.join(".data", "chaos", `report-${stamp}.json`)),
  };
}
