import { describe, expect, it } from "vitest";
import { parseCurateArgs } from "./curate-args";

const NOW = Date.parse("2026-03-10T12:00:00Z");
const parse = (...argv: string[]) => parseCurateArgs(argv, NOW);

describe("npm run curate flags", () => {
  it("defaults to the trace log, the last 7 days, 60 candidates, 20 per route", () => {
    expect(parse()).toEqual({
      help: false,
      source: "log",
      since: NOW - 7 * 86_400_000,
      until: NOW,
      max: 60,
      perRoute: 20,
      scan: 5000,
      dryRun: false,
    });
  });

  it("reads ages, ISO times and the other flags", () => {
    expect(
      parse(
        "--source",
        "phoenix",
        "--since",
        "24h",
        "--until",
        "30m",
        "--max",
        "5",
        "--per-route",
        "2",
        "--out",
        "q.jsonl",
        "--trace-log",
        "t.sqlite",
        "--datasets",
        "d",
        "--dry-run",
      ),
    ).toMatchObject({
      source: "phoenix",
      since: NOW - 86_400_000,
      until: NOW - 1_800_000,
      max: 5,
      perRoute: 2,
      out: "q.jsonl",
      traceLog: "t.sqlite",
      datasets: "d",
      dryRun: true,
    });
    expect(parse("--since", "2026-03-01T00:00:00Z", "--until", "2026-03-02").since).toBe(Date.parse("2026-03-01T00:00:00Z"));
  });

  it.each([
    [["--source", "sqlite"], /--source/],
    [["--since", "yesterday"], /--since must be an ISO time/],
    [["--max", "0"], /--max must be a positive integer/],
    [["--per-route", "1.5"], /--per-route/],
    [["--since", "1d", "--until", "2d"], /must be before/],
    [["--bogus"], /bogus/],
  ])("rejects %j as a bad request", (argv, message) => {
    expect(() => parse(...argv)).toThrow(expect.objectContaining({ code: "bad_request", message: expect.stringMatching(message) }));
  });
});
