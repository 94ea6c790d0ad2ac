import path from "node:path";

/** The review settings of the server the browser tests start (playwright.config.ts), apart from the repository's datasets. */
export const E2E_ADMIN_TOKEN = "e2e-admin-token-0123456789";
export const E2E_DATASETS_DIR = path.resolve(".data", "e2e-datasets");
export const E2E_REVIEW_QUEUE = path.resolve(".data", "e2e-review-queue.jsonl");
