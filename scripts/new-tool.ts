/**
 * npm run new:tool -- <name>
 *
 * Adds a tool to the agent: agents/routes/<name>.ts (its zod schema, tool, description, router
 * examples) and its test, registered in agents/routes/registry.ts, with placeholder dataset and
 * traffic items. Every placeholder says TODO(new-tool); `npm test` fails, naming each, until
 * you have filled them in. The checklist is in CONTRIBUTING.md, "Adding a tool".
 */
import { z } from "zod";
import { parseFlags } from "../lib/cli/parse-flags";
import { runCli } from "./run-cli";
import { scaffoldTool } from "./new-tool/scaffold";

const flagsSchema = z.object({ root: z.string().default(process.cwd()) });

runCli(async () => {
  const flags = parseFlags(process.argv.slice(2), flagsSchema, {
    positionals: true,
    usageHint: "usage: npm run new:tool -- <snake_case_name>",
  });
  const [name] = flags._;
  if (!name || flags._.length > 1) {
    console.error("usage: npm run new:tool -- <snake_case_name>   e.g. npm run new:tool -- shipping_estimate");
    return 2;
  }
  const result = await scaffoldTool(flags.root, name);
  console.log(`Added the ${result.names.route} tool:`);
  for (const file of result.written) console.log(`  new      ${file}`);
  for (const file of result.changed) console.log(`  changed  ${file}`);
  console.log(`
Next (CONTRIBUTING.md, "Adding a tool"): replace every TODO(new-tool) —
  1. ${result.written[0]}: the argument schema, the tool's work, the description, 20-50 router examples;
  2. ${result.written[1]}: a real input and output;
  3. evals/datasets/manual.jsonl, routing.jsonl and evals/traffic/conversations.json: real questions, with what a good answer contains;
then run \`npm test\`: it names anything left.`);
  return 0;
});
