import { describe, expect, it } from "vitest";
import { mapPool } from "./map-pool";

describe("mapPool", () => {
  it("keeps order and bounds concurrency", async () => {
    let running = 0;
    let most = 0;
    const out = await mapPool([1, 2, 3, 4, 5], 2, async (x) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      running -= 1;
      return x * 10;
    });
    expect(out).toEqual([10, 20, 30, 40, 50]);
    expect(most).toBe(2);
  });

  it("starts no new item once stopped, leaving the rest undefined", async () => {
    let stop = false;
    const out = await mapPool(
      [1, 2, 3, 4],
      1,
      (x) => {
        if (x === 2) stop = true;
        return Promise.resolve(x);
      },
      { stopped: () => stop },
    );
    expect(out).toEqual([1, 2, undefined, undefined]);
  });

  it("resolves an empty list to an empty list", async () => {
    expect(await mapPool([], 4, (x: number) => Promise.resolve(x))).toEqual([]);
  });
});
