import { describe, expect, it } from "vitest";
import { SessionTokens } from "./session-tokens";

describe("SessionTokens", () => {
  it("recognises the ids it issued, which fit the API's session id pattern", () => {
    const tokens = new SessionTokens("a-secret-of-at-least-thirty-two-chars!");
    const id = tokens.issue();
    expect(id).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(tokens.owns(id)).toBe(true);
    expect(tokens.issue()).not.toBe(id);
  });

  it("refuses made-up, altered and foreign ids", () => {
    const tokens = new SessionTokens("a-secret-of-at-least-thirty-two-chars!");
    const id = tokens.issue();
    expect(tokens.owns(undefined)).toBe(false);
    expect(tokens.owns("my-session")).toBe(false);
    expect(tokens.owns(`${id.slice(0, -1)}${id.endsWith("A") ? "B" : "A"}`)).toBe(false);
    expect(tokens.owns(`${"x".repeat(22)}${id.slice(22)}`)).toBe(false);
    expect(new SessionTokens("another-secret-of-thirty-two-chars-x").owns(id)).toBe(false);
  });

  it("lets replicas that share a secret recognise each other's ids", () => {
    const id = new SessionTokens("shared-secret-of-thirty-two-characters").issue();
    expect(new SessionTokens("shared-secret-of-thirty-two-characters").owns(id)).toBe(true);
  });
});
