import path from "node:path";

/**
 * The settings of the server the browser tests start (playwright.config.ts), apart from the
 * app's own: its trace log, and the review settings with a datasets folder that is never
 * evals/datasets.
 */
export const E2E_TRACE_LOG = path.resolve(".data", "e2e-traces.sqlite");
export const E2E_ADMIN_TOKEN = "e2e-admin-token-0123456789";
export const E2E_DATASETS_DIR = path.resolve(".data", "e2e-datasets");
export const E2E_REVIEW_QUEUE = path.resolve(".data", "e2e-review-queue.jsonl");
/** The browser test of a repaired answer injects `answers=invent` with this token (test servers only). */
export const E2E_FAULT_TOKEN = "e2e-fault-token-0123456789abcdefghij";
