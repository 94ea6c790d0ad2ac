import path from "node:path";

/** The trace log of the server the browser tests start (playwright.config.ts), apart from the app's own. */
export const E2E_TRACE_LOG = path.resolve(".data", "e2e-traces.sqlite");
