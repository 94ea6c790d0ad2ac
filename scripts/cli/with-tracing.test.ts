import { describe, expect, it } from "vitest";
import { withTracing } from "./with-tracing";

function fakeTracing(fails = false) {
  const calls: string[] = [];
  return {
    calls,
    tracing: {
      shutdown: () => {
        calls.push("shutdown");
        return fails ? Promise.reject(new Error("export failed")) : Promise.resolve();
      },
    },
  };
}

describe("withTracing", () => {
  it("shuts tracing down after the work and returns its result", async () => {
    const { calls, tracing } = fakeTracing();
    const result = await withTracing(tracing, () => {
      calls.push("run");
      return Promise.resolve(0);
    });
    expect(result).toBe(0);
    expect(calls).toEqual(["run", "shutdown"]);
  });

  it("shuts tracing down when the work throws, and rethrows the work's error", async () => {
    const { calls, tracing } = fakeTracing(true);
    await expect(withTracing(tracing, () => Promise.reject(new Error("the run broke")))).rejects.toThrow("the run broke");
    expect(calls).toEqual(["shutdown"]);
  });

  it("runs without tracing (TRACING=off)", async () => {
    expect(await withTracing(undefined, () => Promise.resolve("done"))).toBe("done");
  });
});
