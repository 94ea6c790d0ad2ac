/**
 * `npm run traffic`: plays simulated user sessions (evals/traffic/conversations.json) against a
 * running app over HTTP, with 👍/👎 feedback, so there is production traffic to curate.
 * `npm run traffic -- --help` lists the flags; the work is in evals/traffic/.
 */
import { runTrafficCli } from "../evals/traffic/cli";

const controller = new AbortController();
process.on("SIGINT", () => {
  if (controller.signal.aborted) process.exit(130);
  console.error("\ntraffic: stopping (Ctrl-C again to quit now)");
  controller.abort();
});

process.exitCode = await runTrafficCli(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  progress: Boolean(process.stderr.isTTY),
  signal: controller.signal,
});
