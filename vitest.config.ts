import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Two tiers: `unit` is fast and needs no model files; `integration` loads the real
// embedding model, the real HNSW index and the real local chat model.
export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL(".", import.meta.url)) } },
  test: {
    // isolated-vm (the run_code sandbox) asks for this on Node >= 20: see lib/sandbox.
    execArgv: ["--no-node-snapshot"],
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["{lib,agents,evals,app,data,scripts,lint}/**/*.test.ts", "*.test.ts"],
          exclude: ["**/*.integration.test.ts", "node_modules/**"],
          environment: "node",
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["{lib,agents,evals,app,data,scripts}/**/*.integration.test.ts", "*.integration.test.ts"],
          environment: "node",
          testTimeout: 180_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
