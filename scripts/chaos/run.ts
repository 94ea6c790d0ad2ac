import { setMaxListeners } from "node:events";
import { existsSync } from "node:fs";
import path from "node:path";
import { loadConfig, type AppConfig } from "@/lib/config";
import { missingModels, requiredModels } from "@/lib/models/ensure-models";
import { DOCSTORE_FILE } from "@/lib/vectorstore/hnsw-store-files";
import { flagsOrUsage } from "../run-cli";
import { ChaosContext } from "./context";
import { CHAOS_FLAG_OPTIONS, chaosFlagsSchema, chaosOptions, serverOverrides, USAGE } from "./options";
import { buildReport, formatSeconds, formatTable, writeReport, type ScenarioReport } from "./report";
import type { Scenario, ScenarioResult } from "./scenario";
import { disconnectScenario } from "./scenarios/disconnect";
import { fullDiskScenario } from "./scenarios/full-disk";
import { fuzzScenario } from "./scenarios/fuzz";
import { kill9Scenario } from "./scenarios/kill9";
import { overloadScenario } from "./scenarios/overload";
import { phoenixBlackholeScenario } from "./scenarios/phoenix-blackhole";
import { sandboxBombsScenario } from "./scenarios/sandbox-bombs";
import { sessionsScenario } from "./scenarios/sessions";

// In this order: the sessions' p50 is the reference the blackhole is compared with, and the servers of their own come last.
const ALL: readonly Scenario[] = [
  sessionsScenario,
  overloadScenario,
  disconnectScenario,
  fuzzScenario,
  sandboxBombsScenario,
  phoenixBlackholeScenario,
  kill9Scenario,
  fullDiskScenario,
];
// A scenario past its bound has this long to wind down before it is abandoned.
const WIND_DOWN_MS = 30_000;

/** What the servers need that chaos cannot make: the build, the model files, the index. */
async function missingSetup(config: AppConfig): Promise<string[]> {
  const missing: string[] = [];
  if (!existsSync(path.join(".next", "BUILD_ID"))) missing.push("no production build (.next/BUILD_ID): run `npm run build`");
  const models = await missingModels(config, { only: requiredModels(config) });
  if (models.length > 0) missing.push(`model files missing (${models.map((m) => m.path).join(", ")}): run \`npm run models\``);
  if (!existsSync(path.join(config.indexDir, DOCSTORE_FILE))) missing.push("no index: run `npm run ingest`");
  return missing;
}

/** Runs one scenario within its bound; a crash or an overrun is a failure with its reason, never the end of the run. */
async function runBounded(scenario: Scenario, ctx: ChaosContext, stop: AbortSignal): Promise<ScenarioReport> {
  const bound = AbortSignal.timeout(scenario.boundMs(ctx));
  const signal = AbortSignal.any([bound, stop]);
  // Every turn and pause of a load scenario listens on it at once (20 sessions, a 2x burst): not a leak.
  setMaxListeners(1_000, signal);
  const started = performance.now();
  const serversBefore = ctx.started.length;
  let abandon: NodeJS.Timeout | undefined;
  const abandoned = new Promise<never>((_, reject) =>
    signal.addEventListener("abort", () => (abandon = setTimeout(() => reject(new Error("it did not stop")), WIND_DOWN_MS)), {
      once: true,
    }),
  );
  let result: ScenarioResult;
  try {
    result = await Promise.race([scenario.run(ctx, signal), abandoned]);
  } catch (error) {
    result = { figures: {}, lines: ["(crashed)"], failures: [`crashed: ${error instanceof Error ? error.message : String(error)}`] };
  } finally {
    clearTimeout(abandon);
  }
  if (bound.aborted) result.failures.push(`did not finish within ${formatSeconds(scenario.boundMs(ctx) / 1000)}`);
  if (stop.aborted) result.failures.push("interrupted");
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  const ok = result.failures.length === 0;
  // What the servers said last explains most failures (a crash, a model error).
  const serverOutput = Object.fromEntries(
    ctx.started.filter((s, i) => i >= serversBefore || s.name === "standard").map(({ name, server }) => [name, server.output()]),
  );
  return { name: scenario.name, ok, seconds, ...result, ...(ok ? {} : { serverOutput }) };
}

/** `npm run chaos`: resolves to the exit code (0 every check held, 1 one failed, 2 bad flags or setup). */
export async function runChaos(argv: readonly string[], stop: AbortSignal): Promise<number> {
  const flags = flagsOrUsage(argv, chaosFlagsSchema, CHAOS_FLAG_OPTIONS, USAGE);
  if (typeof flags === "number") return flags;
  const options = chaosOptions(flags);
  const overrides = serverOverrides(options.short);
  const config = loadConfig({ ...process.env, ...overrides });
  const missing = await missingSetup(config);
  if (missing.length > 0) {
    console.error(`chaos: cannot start the servers:\n${missing.map((m) => `  - ${m}`).join("\n")}`);
    return 2;
  }
  const startedAt = new Date();
  const ctx = new ChaosContext(options, config, overrides, (line) => console.error(line));
  const scenarios = ALL.filter((s) => options.scenarios.includes(s.name));
  const results: ScenarioReport[] = [];
  try {
    for (const [i, scenario] of scenarios.entries()) {
      if (stop.aborted) break;
      const step = `chaos: [${i + 1}/${scenarios.length}] ${scenario.name}`;
      ctx.progress(`${step}: ${scenario.describe(ctx)} ...`);
      const result = await runBounded(scenario, ctx, stop);
      ctx.progress(
        `${step}: ${result.ok ? "PASS" : "FAIL"} in ${formatSeconds(result.seconds)}${result.ok ? "" : ` (${result.failures.join("; ")})`}`,
      );
      results.push(result);
    }
  } finally {
    await ctx.close();
  }
  const report = buildReport(ctx, startedAt, results);
  writeReport(options.reportFile, report);
  console.log(formatTable(results));
  console.log(
    `\nchaos: ${report.ok ? "every check held" : "FAILED"} in ${formatSeconds(report.wallSeconds)}; report ${path.relative(process.cwd(), options.reportFile)}`,
  );
  if (stop.aborted) return 130;
  return report.ok ? 0 : 1;
}
