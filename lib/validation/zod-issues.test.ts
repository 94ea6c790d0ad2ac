import { describe, expect, it } from "vitest";
import { z } from "zod";
import { describeZodIssues, formatIssuePath } from "./zod-issues";

describe("describeZodIssues", () => {
  it("names each issue's path, (root) for the value itself", () => {
    const error = z.object({ turns: z.array(z.object({ message: z.string() })) }).safeParse({ turns: [{ message: 1 }] }).error!;
    expect(describeZodIssues(error)).toEqual([expect.stringMatching(/^turns\[0\]\.message: /)]);
    expect(describeZodIssues(z.string().safeParse(1).error!)).toEqual([expect.stringMatching(/^\(root\): /)]);
  });

  it("caps the list and counts the rest", () => {
    const error = z.array(z.string()).safeParse([1, 2, 3]).error!;
    expect(describeZodIssues(error, 2)).toEqual([expect.stringMatching(/^\[0\]/), expect.stringMatching(/^\[1\]/), "… and 1 more"]);
  });

  it("formats paths", () => expect(formatIssuePath(["a", 0, "b"])).toBe("a[0].b"));
});
