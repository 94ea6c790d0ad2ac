import { describe, expect, it } from "vitest";
import { joinRepeated, splitList } from "./list-flags";

describe("joinRepeated", () => {
  it("joins every occurrence of a repeatable flag, in order, in either syntax", () => {
    expect(joinRepeated(["--dataset", "manual", "--ci", "--dataset=routing", "--limit", "5"], ["dataset"])).toEqual([
      "--ci",
      "--limit",
      "5",
      "--dataset",
      "manual,routing",
    ]);
  });

  it("leaves other flags, and a repeatable flag without its value, for the parser", () => {
    expect(joinRepeated(["--limit", "5"], ["dataset"])).toEqual(["--limit", "5"]);
    expect(joinRepeated(["--dataset"], ["dataset"])).toEqual(["--dataset"]);
    expect(joinRepeated(["--dataset", "--ci"], ["dataset"])).toEqual(["--dataset", "--ci"]);
  });
});

describe("splitList", () => {
  it("splits on commas and drops blanks", () => {
    expect(splitList(" manual, routing,,")).toEqual(["manual", "routing"]);
  });
});
