#!/usr/bin/env node
// `npm test`: every tier, in order of cost, stopping at the first failure.
//   typecheck → unit (vitest) → production build → integration (real models, index, Phoenix
//   and the production server) → eval gate (`npm run eval -- --ci`) → e2e (Playwright, system Chromium).
//   `npm test -- --skip-e2e` stops after integration.
import { ensureBuild, ensureIndex, ensureModels, ensurePackages, run } from "./prepare.mjs";

const skipE2e = process.argv.includes("--skip-e2e");
ensurePackages();
ensureModels();
ensureIndex();

const tier = (name, command, args) => {
  console.log(`\n▶ ${name}`);
  run(command, args);
};
tier("Typecheck", "npx", ["tsc", "--noEmit", "-p", "."]);
tier("Unit tests", "npx", ["vitest", "run", "--project", "unit"]);
// The tracing integration test runs against the production server.
ensureBuild();
tier("Integration tests", "npx", ["vitest", "run", "--project", "integration"]);
// The pre-deploy gate on its fixed CI subset (evals/datasets, tag "ci") against evals/baseline.json.
tier("Eval gate (CI subset)", "npm", ["run", "eval", "--", "--ci"]);
if (!skipE2e) {
  tier("End-to-end tests", "npx", ["playwright", "test"]);
}
console.log("\n✔ All test tiers passed.");
