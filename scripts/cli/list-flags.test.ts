import { describe, expect, it } from "vitest";
import { repeatedList, splitList } from "./list-flags";

describe("repeatedList", () => {
  it("flattens repeated occurrences that may each be comma-separated", () => {
    expect(repeatedList(["manual", "routing,production"])).toEqual(["manual", "routing", "production"]);
  });
});

describe("splitList", () => {
  it("splits on commas and drops blanks", () => {
    expect(splitList(" manual, routing,,")).toEqual(["manual", "routing"]);
  });
});
