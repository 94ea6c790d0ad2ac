import { describe, expect, it } from "vitest";
import type { Retriever } from "@/lib/vectorstore/types";
import { ROUTE_DEFINITIONS, ROUTES } from "./registry";

// The checklist for a route (CONTRIBUTING.md, "Adding a tool"): each failure says what to add.
const CHECKLIST = "see CONTRIBUTING.md, 'Adding a tool'";
const retriever: Retriever = { search: () => Promise.resolve([]) };
const resources = { retriever, k: 4, salesDir: "data/sales" };

describe.each(ROUTE_DEFINITIONS.map((r) => [r.name, r] as const))("route %s", (name, route) => {
  it("has a snake_case name its tool shares", () => {
    expect(name, `route names are snake_case (${CHECKLIST})`).toMatch(/^[a-z][a-z0-9_]{2,48}$/);
    expect(route.createTool(resources).name, `the tool must be named like its route (${CHECKLIST})`).toBe(name);
  });

  it("says what it is", () => {
    expect(route.label, `give the route a label like "the calculator" (${CHECKLIST})`).toMatch(/^the /);
    expect(route.description.length, `give the route a one-line description (${CHECKLIST})`).toBeGreaterThan(20);
  });

  it("has 20 to 50 router examples of its own", () => {
    const count = new Set(route.examples.map((e) => e.toLowerCase())).size;
    expect(count, `the semantic router needs 20-50 distinct example messages for ${name} (${CHECKLIST})`).toBeGreaterThanOrEqual(20);
    expect(count, `more than 50 examples for ${name} slow routing without helping (${CHECKLIST})`).toBeLessThanOrEqual(50);
    const others = new Set(ROUTE_DEFINITIONS.filter((r) => r.name !== name).flatMap((r) => r.examples.map((e) => e.toLowerCase())));
    const shared = route.examples.filter((e) => others.has(e.toLowerCase()));
    expect(shared, `examples must belong to one route only (${CHECKLIST})`).toEqual([]);
  });

  it("knows where its arguments come from", () => {
    expect(
      route.planArguments !== undefined || route.modelArguments !== undefined,
      `give ${name} modelArguments (a zod schema and one or two worked examples) or planArguments (${CHECKLIST})`,
    ).toBe(true);
  });
});

describe("the registry", () => {
  it("lists each route once", () => {
    expect(new Set(ROUTES).size).toBe(ROUTES.length);
  });
});
