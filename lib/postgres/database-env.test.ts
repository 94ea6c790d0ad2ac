import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { databaseConfig } from "./database-env";

describe("databaseConfig", () => {
  it("is absent without DATABASE_URL (the embedded default), also when it is empty", () => {
    expect(databaseConfig({})).toEqual({});
    expect(databaseConfig({ DATABASE_URL: "" })).toEqual({});
  });

  it("reads the URL and the pool settings", () => {
    const env = { DATABASE_URL: "postgresql://app@db:5432/rag", DATABASE_POOL_MAX: "3", DATABASE_CONNECT_TIMEOUT_MS: "250" };
    expect(databaseConfig(env)).toEqual({ database: { url: "postgresql://app@db:5432/rag", poolMax: 3, connectTimeoutMs: 250 } });
    expect(databaseConfig({ DATABASE_URL: "postgres://x/y" }).database).toMatchObject({ poolMax: 10, connectTimeoutMs: 5_000 });
  });

  it.each([
    { DATABASE_URL: "mysql://db/rag" },
    { DATABASE_URL: "127.0.0.1:5432" },
    { DATABASE_URL: "postgresql://db/rag", DATABASE_POOL_MAX: "0" },
  ])("refuses %o with config_invalid naming the variable", (env) => {
    const error = (() => {
      try {
        databaseConfig(env);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("config_invalid");
    expect((error as AppError).message).toMatch(/DATABASE_/);
  });
});
