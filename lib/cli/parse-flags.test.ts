import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "../errors";
import { parseFlags } from "./parse-flags";

const schema = z.object({
  limit: z.coerce.number().int().min(1).default(10),
  verbose: z.boolean().default(false),
  name: z.string().optional(),
});
const usageHint = "see --help";

describe("parseFlags", () => {
  it("parses values, booleans and defaults through the schema", () => {
    expect(parseFlags(["--", "--limit", "5", "--verbose"], schema, { booleans: ["verbose"], usageHint })).toEqual({
      limit: 5,
      verbose: true,
      _: [],
    });
    expect(parseFlags([], schema, { booleans: ["verbose"], usageHint })).toEqual({ limit: 10, verbose: false, _: [] });
  });

  it("rejects an unknown flag with the usage hint", () => {
    const call = () => parseFlags(["--limt", "5"], schema, { booleans: ["verbose"], usageHint });
    expect(call).toThrow(AppError);
    expect(call).toThrow(/--limt.*see --help/);
  });

  it("rejects a value the schema refuses, naming the flag", () => {
    expect(() => parseFlags(["--limit", "0"], schema, { booleans: ["verbose"], usageHint })).toThrow(/--limit: /);
  });

  it("returns positionals only when allowed", () => {
    expect(parseFlags(["a.json"], schema, { booleans: ["verbose"], positionals: true, usageHint })._).toEqual(["a.json"]);
    expect(() => parseFlags(["a.json"], schema, { booleans: ["verbose"], usageHint })).toThrow(AppError);
  });

  it("supports short aliases", () => {
    const withHelp = schema.extend({ help: z.boolean().default(false) });
    expect(parseFlags(["-h"], withHelp, { booleans: ["verbose", "help"], short: { h: "help" }, usageHint }).help).toBe(true);
  });

  it("collects a repeatable flag's every occurrence", () => {
    const lists = z.object({ dataset: z.array(z.string()).optional() });
    expect(parseFlags(["--dataset", "manual", "--dataset=routing"], lists, { repeatable: ["dataset"], usageHint }).dataset).toEqual([
      "manual",
      "routing",
    ]);
    expect(parseFlags([], lists, { repeatable: ["dataset"], usageHint }).dataset).toBeUndefined();
  });
});
