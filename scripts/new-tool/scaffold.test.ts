import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { registerRoute, scaffoldTool } from "./scaffold";
import { TODO_MARKER, toolNames } from "./templates";

const COPIED = [
  "agents/routes/registry.ts",
  "evals/datasets/manual.jsonl",
  "evals/datasets/routing.jsonl",
  "evals/traffic/conversations.json",
  // The repository's Prettier settings, which the scaffold formats the traffic file with.
  ".prettierrc.json",
];
let root: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "new-tool-"));
  for (const file of COPIED) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.copyFileSync(file, path.join(root, file));
  }
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const read = (file: string) => fs.readFileSync(path.join(root, file), "utf8");

describe("scaffoldTool", () => {
  it("writes the route module and its test and registers the route with one import", async () => {
    const result = await scaffoldTool(root, "scaffold_trial_tool", new Date("2026-12-01T00:00:00Z"));
    expect(result.written).toEqual(["agents/routes/scaffold-trial-tool.ts", "agents/routes/scaffold-trial-tool.test.ts"]);
    expect(read("agents/routes/scaffold-trial-tool.ts")).toContain('name: "scaffold_trial_tool"');
    const registry = read("agents/routes/registry.ts");
    expect(registry).toContain('import { scaffoldTrialToolRoute } from "./scaffold-trial-tool";');
    expect(registry).toMatch(/ROUTE_DEFINITIONS = \[[^\]]*Route,\s*scaffoldTrialToolRoute,?\s*\] as const;/);
  });

  it("adds placeholder dataset and traffic items that say TODO, and keeps the formatting of the rest", async () => {
    const trafficBefore = read("evals/traffic/conversations.json");
    await scaffoldTool(root, "scaffold_trial_tool");
    const last = JSON.parse(read("evals/datasets/manual.jsonl").trim().split("\n").at(-1)!) as { id: string; expected: unknown };
    expect(last.expected).toEqual({ route: "scaffold_trial_tool" });
    expect(last.id).toMatch(/^man-\d{3}$/);
    const traffic = read("evals/traffic/conversations.json");
    expect(traffic.split(`${TODO_MARKER}: message`).length - 1).toBe(10);
    // Only lines were added: the file's own formatting is kept.
    const kept = trafficBefore.split("\n").filter((line) => !traffic.includes(line));
    expect(kept.length).toBeLessThanOrEqual(2);
    const routing = read("evals/datasets/routing.jsonl").trim().split("\n");
    expect(routing.filter((line) => line.includes(TODO_MARKER))).toHaveLength(15);
  });

  it("refuses a bad or taken name and writes nothing", async () => {
    const before = COPIED.map(read);
    for (const name of ["Shipping", "scaffold-trial-tool", "x", "calculator"]) {
      await expect(scaffoldTool(root, name), name).rejects.toThrow(AppError);
    }
    expect(COPIED.map(read)).toEqual(before);
    expect(fs.existsSync(path.join(root, "agents/routes/calculator.test.ts"))).toBe(false);
  });
});

describe("registerRoute", () => {
  it("extends a list Prettier broke over lines (trailing comma)", () => {
    const registry = 'import { aRoute } from "./a";\n\nexport const ROUTE_DEFINITIONS = [\n  aRoute,\n  bRoute,\n] as const;\n';
    expect(registerRoute(registry, toolNames("c_tool"))).toContain(
      "export const ROUTE_DEFINITIONS = [aRoute,\n  bRoute, cToolRoute] as const;",
    );
  });
});
