import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "../errors";
import { intInRange } from "./env-values";
import { parseEnv } from "./parse-env";

const ports = z.object({ PORT: intInRange(1, 65_535, 3000) });
const names = z.object({ NAME: z.string().min(2).default("app") });

describe("parseEnv", () => {
  it("returns each schema's values in order, defaults filled in", () => {
    const [a, b] = parseEnv({ PORT: "8080" }, ports, names);
    expect(a).toEqual({ PORT: 8080 });
    expect(b).toEqual({ NAME: "app" });
  });

  it("names every bad variable of every schema in one config_invalid error", () => {
    let error: unknown;
    try {
      parseEnv({ PORT: "99999", NAME: "x" }, ports, names);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("config_invalid");
    expect((error as AppError).message).toMatch(/^Invalid environment configuration: PORT: .+; NAME: .+/);
  });
});
