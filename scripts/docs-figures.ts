/**
 * npm run docs:figures [-- --check]
 *
 * Writes the README's eval figures (the gate's constants, the baseline table) from
 * evals/thresholds.json, evals/baseline.json and the datasets. `--check` changes nothing and
 * exits 1 when the README is out of date.
 */
import fs from "node:fs";
import { z } from "zod";
import { parseFlags } from "../lib/cli/parse-flags";
import { renderReadmeFigures } from "../evals/report/readme-figures-source";
import { runCli } from "./run-cli";

const README = "README.md";

runCli(() => {
  const flags = parseFlags(process.argv.slice(2), z.object({ check: z.boolean().default(false) }), {
    booleans: ["check"],
    usageHint: "usage: npm run docs:figures [-- --check]",
  });
  const current = fs.readFileSync(README, "utf8");
  const rendered = renderReadmeFigures(current);
  if (flags.check) {
    if (rendered === current) return Promise.resolve(0);
    console.error(`${README} is out of date: run npm run docs:figures`);
    return Promise.resolve(1);
  }
  fs.writeFileSync(README, rendered);
  console.log(rendered === current ? `${README}: figures already up to date` : `${README}: figures rewritten`);
  return Promise.resolve(0);
});
