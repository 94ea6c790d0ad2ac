import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TODO_MARKER } from "./templates";

const CHECKLIST = "see CONTRIBUTING.md, 'Adding a tool'";

describe("a tool added with npm run new:tool", () => {
  it("has no TODO(new-tool) placeholder left in the agent, its tests, the datasets or the traffic", () => {
    const roots = ["agents", "evals/datasets", "evals/traffic"];
    const left = roots.flatMap((dir) => filesUnder(dir)).filter((file) => readFileSync(file, "utf8").includes(TODO_MARKER));
    expect(left, `fill in every ${TODO_MARKER} in these files (${CHECKLIST})`).toEqual([]);
  });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|jsonl|json)$/.test(entry.name) && !entry.name.endsWith("registry.test.ts"))
    .map((entry) => path.join(entry.parentPath, entry.name));
}
