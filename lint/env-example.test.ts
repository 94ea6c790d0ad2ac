import fs from "node:fs";
import { describe, expect, it } from "vitest";

// Every variable lib/config.ts reads is documented where users look: .env.example and the
// README's configuration table. Some groups are validated by schemas of their own that
// lib/config.ts parses; their files are read too.
const source = [
  "lib/config.ts",
  "lib/telemetry/trace-config-env.ts",
  "lib/telemetry/metrics/metrics-env.ts",
  "lib/monitoring/notify/notify-env.ts",
  "lib/faults/fault-env.ts",
  "lib/postgres/database-env.ts",
  "lib/telemetry/telemetry-backends-config.ts",
]
  .map((file) => fs.readFileSync(file, "utf8"))
  .join("\n");
const variables = [
  ...new Set([...source.matchAll(/^\s+([A-Z][A-Z0-9_]{2,}):/gm), ...source.matchAll(/env: "([A-Z][A-Z0-9_]{2,})"/g)].map((m) => m[1]!)),
];

describe("configuration docs", () => {
  it("finds the variables in lib/config.ts", () => expect(variables.length).toBeGreaterThan(30));

  it("lists every variable in .env.example", () => {
    const example = fs.readFileSync(".env.example", "utf8");
    expect(variables.filter((v) => !example.includes(v))).toEqual([]);
  });

  it("documents every variable in the README", () => {
    const readme = fs.readFileSync("README.md", "utf8");
    // The README writes families as `OPENINFERENCE_HIDE_INPUTS`, `_OUTPUTS`, …: match on the last part too.
    const missing = variables.filter((v) => !readme.includes(v) && !readme.includes(`\`_${v.split("_").slice(2).join("_")}\``));
    expect(missing).toEqual([]);
  });
});
