/**
 * `npm run chaos`: load, faults and fuzzing against the production build on 127.0.0.1 (one
 * scenario per module in scripts/chaos/scenarios/), a table of the figures, and the JSON report
 * in .data/chaos/. `npm run chaos -- --help` lists the flags.
 */
import { runCli } from "./run-cli";
import { runChaos } from "./chaos/run";

const stop = new AbortController();
process.on("SIGINT", () => {
  if (stop.signal.aborted) process.exit(130);
  console.error("\nchaos: stopping after the current scenario winds down (Ctrl-C again to quit now)");
  stop.abort();
});

runCli(() => runChaos(process.argv.slice(2), stop.signal));
