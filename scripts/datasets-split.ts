/**
 * npm run datasets:split [-- --datasets <dir>]
 *
 * Gives every item of every dataset (evals/datasets/*.jsonl) a `split` ("dev" or "test") where
 * it has none: a file without splits is split at once, balanced per route; items added later
 * take the smaller side of their route. Existing splits never change. Idempotent.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { parseFlags } from "../lib/cli/parse-flags";
import { TRACE_EXPORT_SUFFIX } from "../lib/curation/trace-export";
import { fillSplits } from "../lib/datasets/fill-splits";
import { writeFileAtomic } from "../lib/fs/write-file-atomic";
import { runCli } from "./run-cli";

runCli(() => {
  const flags = parseFlags(process.argv.slice(2), z.object({ datasets: z.string().default("evals/datasets") }), {
    usageHint: "usage: npm run datasets:split [-- --datasets <dir>]",
  });
  const files = fs.readdirSync(flags.datasets).filter((name) => name.endsWith(".jsonl") && !name.endsWith(TRACE_EXPORT_SUFFIX));
  for (const name of files.sort()) {
    const file = path.join(flags.datasets, name);
    const { text, assigned } = fillSplits(fs.readFileSync(file, "utf8"));
    if (assigned > 0) writeFileAtomic(file, text);
    console.log(`${file}: ${assigned === 0 ? "every item has its split" : `${assigned} item(s) given a split`}`);
  }
  return Promise.resolve(0);
});
