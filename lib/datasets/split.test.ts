import { describe, expect, it } from "vitest";
import { assignSplit, idHash, stratifiedSplit } from "./split";

describe("stratifiedSplit", () => {
  const items = Array.from({ length: 41 }, (_, i) => ({ id: `item-${i}`, route: i % 3 === 0 ? "a" : "b" }));

  it("balances every stratum to within one item", () => {
    const splits = stratifiedSplit(
      items,
      (x) => x.id,
      (x) => x.route,
    );
    for (const route of ["a", "b"]) {
      const members = items.filter((x) => x.route === route).map((x) => splits.get(x.id));
      const dev = members.filter((s) => s === "dev").length;
      expect(Math.abs(dev - (members.length - dev))).toBeLessThanOrEqual(1);
    }
  });

  it("depends on the ids, not on their order", () => {
    const a = stratifiedSplit(
      items,
      (x) => x.id,
      (x) => x.route,
    );
    const b = stratifiedSplit(
      [...items].reverse(),
      (x) => x.id,
      (x) => x.route,
    );
    expect([...b].sort()).toEqual([...a].sort());
  });
});

describe("assignSplit", () => {
  it("fills the smaller side of the stratum, else follows the id's hash", () => {
    expect(assignSplit("x", ["dev", "dev", "test"])).toBe("test");
    expect(assignSplit("x", ["test"])).toBe("dev");
    expect(assignSplit("x", [])).toBe(idHash("x") % 2 === 0 ? "dev" : "test");
  });
});
