#!/usr/bin/env node
// `npm test`: every tier, in order of cost, stopping at the first failure.
//   typecheck → lint (ESLint, Prettier, knip) → unit (vitest) → production build → integration (real models, index, Phoenix
//   and the production server) → eval gate (`npm run eval -- --ci`) → e2e (Playwright, system Chromium).
//   `npm test -- --skip-e2e` stops after integration.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ensureBuild, ensureIndex, ensureModels, ensurePackages, run } from "./prepare.mjs";

const skipE2e = process.argv.includes("--skip-e2e");

// Starts the Chromium that playwright.config.ts picks (CHROMIUM_PATH, /usr/bin/chromium, else
// Playwright's own build) and closes it again.
const CHROMIUM_PROBE = `
const { default: config } = await import("./playwright.config.ts");
const { chromium } = await import("@playwright/test");
const browser = await chromium.launch(config.use?.launchOptions ?? {});
await browser.close();
`;

/** The browser tier runs last, after the long ones: find out first whether its Chromium starts. */
function ensureChromium() {
  console.log("\n▶ Checking that Playwright can start Chromium (the end-to-end tier)");
  const probe = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "--eval", CHROMIUM_PROBE], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    encoding: "utf8",
    timeout: 120_000,
  });
  if (probe.status === 0) return;
  const output = `${probe.stderr ?? ""}\n${probe.stdout ?? ""}`;
  const reason = output.match(/browserType\.launch: ([^\n]*)/)?.[1] ?? output.trim().split("\n").at(-1) ?? String(probe.error);
  console.error(`
✖ Playwright cannot start Chromium for the end-to-end tests: ${reason}

Install one, then run npm test again:
  Debian:               sudo apt-get install chromium     (found at /usr/bin/chromium)
  macOS, Ubuntu, other: npx playwright install chromium   (Playwright's own build; on Linux add --with-deps)
  any Chrome/Chromium:  CHROMIUM_PATH=/path/to/chrome npm test
or leave the browser tier out: npm test -- --skip-e2e
(README.md, "Chromium for the browser tests")`);
  process.exit(1);
}

ensurePackages();
if (!skipE2e) ensureChromium();
ensureModels();
ensureIndex();

const tier = (name, command, args) => {
  console.log(`\n▶ ${name}`);
  run(command, args);
};
tier("Typecheck", "npx", ["tsc", "--noEmit", "-p", "."]);
tier("Lint", "npm", ["run", "lint"]);
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
