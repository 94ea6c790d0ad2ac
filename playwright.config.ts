import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";
import {
  E2E_ADMIN_TOKEN,
  E2E_DATASETS_DIR,
  E2E_FAULT_TOKEN,
  E2E_REVIEW_QUEUE,
  E2E_TRACE_LOG,
} from "./test-support/server/e2e-server-settings";

// Playwright never downloads a browser here: it drives the system Chromium
// (Debian's `chromium` package) unless CHROMIUM_PATH points elsewhere. Without either,
// it falls back to a browser installed with `npx playwright install`.
const chromiumPath = process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "e2e",
  timeout: 180_000,
  expect: { timeout: 120_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : "list",
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromiumPath,
      args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-gpu"],
    },
  },
  projects: [
    { name: "desktop", use: { ...devices["Desktop Chrome"], channel: undefined }, grepInvert: /@phone/ },
    { name: "phone", use: { ...devices["Pixel 7"], channel: undefined }, grep: /@phone/ },
  ],
  // The production build, on loopback only; Playwright stops it when the run ends.
  webServer: {
    command: `npx next start -H 127.0.0.1 -p ${port}`,
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: {
      NODE_OPTIONS: [process.env.NODE_OPTIONS, "--no-node-snapshot"].filter(Boolean).join(" "),
      // The browser tests read feedback back from their own trace log.
      TRACE_LOG_PATH: E2E_TRACE_LOG,
      // The review test writes to its own datasets folder, never to evals/datasets.
      ADMIN_TOKEN: E2E_ADMIN_TOKEN,
      DATASETS_DIR: E2E_DATASETS_DIR,
      REVIEW_QUEUE_PATH: E2E_REVIEW_QUEUE,
      // Every trace is scored online, so curation can read the scores.
      ONLINE_EVAL_SAMPLE: "1",
      // A test server: the repaired-answer test makes the model invent a figure (answers=invent).
      FAULT_INJECTION_TOKEN: E2E_FAULT_TOKEN,
      ALLOW_FAULT_INJECTION: "I_UNDERSTAND_THIS_BREAKS_ANSWERS",
    },
    stdout: "pipe",
    stderr: "pipe",
  },
});
