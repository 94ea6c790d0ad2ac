import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { scaffoldTool } from "./scaffold";
import { TODO_MARKER } from "./templates";

const COPIED = ["agents/routes/registry.ts", "evals/datasets/manual.jsonl", "evals/traffic/conversations.json"];
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
  it("writes the route module and its test and registers the route with one import", () => {
    const result = scaffoldTool(root, "shipping_estimate", new Date("2026-12-01T00:00:00Z"));
    expect(result.written).toEqual(["agents/routes/shipping-estimate.ts", "agents/routes/shipping-estimate.test.ts"]);
    expect(read("agents/routes/shipping-estimate.ts")).toContain('name: "shipping_estimate"');
    const registry = read("agents/routes/registry.ts");
    expect(registry).toContain('import { shippingEstimateRoute } from "./shipping-estimate";');
    expect(registry).toMatch(/ROUTE_DEFINITIONS = \[[^\]]*askFollowupRoute, shippingEstimateRoute\] as const;/);
  });

  it("adds placeholder dataset and traffic items that say TODO", () => {
    scaffoldTool(root, "shipping_estimate");
    const last = JSON.parse(read("evals/datasets/manual.jsonl").trim().split("\n").at(-1)!) as { id: string; expected: unknown };
    expect(last.expected).toEqual({ route: "shipping_estimate" });
    expect(last.id).toMatch(/^man-\d{3}$/);
    const traffic = read("evals/traffic/conversations.json");
    expect(traffic.split(`${TODO_MARKER}: message`).length - 1).toBe(10);
  });

  it("refuses a bad or taken name and writes nothing", () => {
    const before = COPIED.map(read);
    for (const name of ["Shipping", "shipping-estimate", "x", "calculator"]) {
      expect(() => scaffoldTool(root, name), name).toThrow(AppError);
    }
    expect(COPIED.map(read)).toEqual(before);
    expect(fs.existsSync(path.join(root, "agents/routes/calculator.test.ts"))).toBe(false);
  });
});
