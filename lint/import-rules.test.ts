import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { buildImportGraph, type ImportGraph } from "./import-graph";
import { areaOf, importRuleViolations } from "./import-rules";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));

/** A graph from `file: [targets]`, every import a runtime one. */
function graphOf(imports: Record<string, string[]>): ImportGraph {
  return new Map(Object.entries(imports).map(([file, targets]) => [file, targets.map((target) => ({ target, typeOnly: false }))]));
}

describe("import rules", () => {
  it("hold in the repository: layering, no test support in production, no cycles", () => {
    expect(importRuleViolations(buildImportGraph(repoRoot))).toEqual([]);
  });

  it("catch imports against the layering, in code and in tests", () => {
    const violations = importRuleViolations(
      graphOf({
        "lib/a.ts": ["agents/b.ts", "lib/c.ts"],
        "agents/b.ts": ["app/page.tsx", "evals/x.ts"],
        "scripts/s.ts": ["app/page.tsx", "evals/x.ts"],
        "lib/a.test.ts": ["agents/b.ts", "e2e/chat.spec.ts", "test-support/fake.ts"],
        "app/page.tsx": [],
        "evals/x.ts": [],
        "lib/c.ts": [],
      }),
    );
    expect(violations).toEqual([
      "agents/b.ts → app/page.tsx: agents/ may import only agents/, lib/",
      "agents/b.ts → evals/x.ts: agents/ may import only agents/, lib/",
      "lib/a.test.ts → agents/b.ts: test code in lib/ may import only lib/, test-support/",
      "lib/a.test.ts → e2e/chat.spec.ts: test code in lib/ may import only lib/, test-support/",
      "lib/a.ts → agents/b.ts: lib/ may import only lib/",
      "scripts/s.ts → app/page.tsx: scripts/ may import only scripts/, evals/, agents/, lib/, data/, the top level",
    ]);
  });

  it("keep test support and the browser tests out of production code", () => {
    const violations = importRuleViolations(
      graphOf({
        "evals/run.ts": ["test-support/fake.ts"],
        "agents/x.ts": ["e2e/chat.spec.ts"],
        "evals/run.test.ts": ["test-support/fake.ts"],
      }),
    );
    expect(violations).toEqual([
      "agents/x.ts → e2e/chat.spec.ts: production code never imports e2e/",
      "evals/run.ts → test-support/fake.ts: production code never imports test-support/",
    ]);
  });

  it("catch import cycles, shortest way round first", () => {
    const violations = importRuleViolations(
      graphOf({ "lib/a.ts": ["lib/b.ts"], "lib/b.ts": ["lib/c.ts", "lib/a.ts"], "lib/c.ts": ["lib/a.ts"], "lib/self.ts": ["lib/self.ts"] }),
    );
    expect(violations).toEqual([
      "import cycle: lib/a.ts → lib/b.ts → lib/a.ts (3 files in the cycle group)",
      "import cycle: lib/self.ts → lib/self.ts",
    ]);
  });

  it("refuse a file in a folder they do not know", () => {
    expect(() => areaOf("tools/x.ts")).toThrow(/outside the known folders/);
  });
});

describe("import graph", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const write = (root: string, file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };

  it("resolves the @/ alias, relative paths, re-exports, dynamic imports and .mjs; leaves packages out", () => {
    const root = (dir = fs.mkdtempSync(path.join(os.tmpdir(), "import-graph-")));
    write(
      root,
      "tsconfig.json",
      JSON.stringify({ compilerOptions: { module: "esnext", moduleResolution: "bundler", paths: { "@/*": ["./*"] } } }),
    );
    write(
      root,
      "lib/a.ts",
      [
        'import { b } from "@/agents/b";',
        'import type { C } from "./c";',
        'import { type D } from "./d";',
        'import path from "node:path";',
        'export { e } from "../lib/e";',
        'export const later = () => import("../scripts/run.mjs");',
        "export type Z = C | D | typeof b | typeof path;",
      ].join("\n"),
    );
    write(root, "agents/b.ts", "export const b = 1;");
    write(root, "lib/c.ts", "export type C = string;");
    write(root, "lib/d.ts", "export type D = number;");
    write(root, "lib/e.ts", "export const e = 2;");
    write(root, "scripts/run.mjs", "export {};");

    const graph = buildImportGraph(root);
    expect(graph.get("lib/a.ts")).toEqual([
      { target: "agents/b.ts", typeOnly: false },
      { target: "lib/c.ts", typeOnly: true },
      { target: "lib/d.ts", typeOnly: true },
      { target: "lib/e.ts", typeOnly: false },
      { target: "scripts/run.mjs", typeOnly: false },
    ]);
    expect(importRuleViolations(graph)).toEqual([
      "lib/a.ts → agents/b.ts: lib/ may import only lib/",
      "lib/a.ts → scripts/run.mjs: lib/ may import only lib/",
    ]);
  });
});
