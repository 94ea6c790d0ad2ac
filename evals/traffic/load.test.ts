import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConversationsFileError, loadConversations, parseConversations } from "./load";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "traffic-load-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const valid = {
  version: 1,
  personas: [
    {
      id: "tester",
      name: "Tester",
      description: "A persona for tests",
      feedback: { rate: 1, style: "terse" },
      sessions: [
        {
          topic: "t",
          turns: [{ message: "How long is the return window?", route: "knowledge_base_search", expect: { anyOf: ["45 days"] } }],
        },
      ],
    },
  ],
};

function problemsOf(text: string): ConversationsFileError {
  try {
    parseConversations(text, "conversations.json");
  } catch (error) {
    expect(error).toBeInstanceOf(ConversationsFileError);
    return error as ConversationsFileError;
  }
  throw new Error("expected a ConversationsFileError");
}

const mutate = (change: (file: typeof valid & Record<string, unknown>) => void) => {
  const copy = structuredClone(valid) as typeof valid & Record<string, unknown>;
  change(copy);
  return JSON.stringify(copy);
};

describe("loading a conversations file", () => {
  it("accepts a valid file and fills defaults", () => {
    const file = path.join(dir, "ok.json");
    fs.writeFileSync(file, JSON.stringify(valid));
    const loaded = loadConversations(file);
    expect(loaded.personas[0]!.sessions[0]!.turns[0]!.tags).toEqual([]);
  });

  it("names the file and says it is not JSON", () => {
    const error = problemsOf("{ not json");
    expect(error.message).toMatch(/^conversations\.json is not a valid conversations file:/);
    expect(error.message).toContain("not valid JSON");
  });

  it("names the path of a bad field and what is wrong with it", () => {
    const error = problemsOf(mutate((f) => ((f.personas[0]!.sessions[0]!.turns[0] as { route: string }).route = "web_search")));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^personas\[0\]\.sessions\[0\]\.turns\[0\]\.route: /);
    expect(error.message).toContain("knowledge_base_search");
  });

  it("rejects an empty expectation, unknown keys, a rate above 1 and duplicate persona ids", () => {
    expect(problemsOf(mutate((f) => ((f.personas[0]!.sessions[0]!.turns[0] as { expect: object }).expect = {}))).message).toContain(
      "personas[0].sessions[0].turns[0].expect: an expectation needs at least one of",
    );
    expect(problemsOf(mutate((f) => ((f.personas[0]!.sessions[0]!.turns[0] as Record<string, unknown>).answer = "x"))).message).toMatch(
      /turns\[0\].*answer/,
    );
    expect(problemsOf(mutate((f) => (f.personas[0]!.feedback.rate = 1.5))).message).toContain("personas[0].feedback.rate");
    expect(problemsOf(mutate((f) => f.personas.push(structuredClone(f.personas[0]!)))).message).toContain(
      'personas[1].id: duplicate persona id "tester"',
    );
  });

  it("rejects a persona id that would not fit a session id", () => {
    expect(problemsOf(mutate((f) => (f.personas[0]!.id = "Not Kebab"))).message).toContain("personas[0].id: must be kebab-case");
    expect(problemsOf(mutate((f) => (f.personas[0]!.id = "a".repeat(30)))).message).toContain("at most 24 characters");
  });

  it("says when the file cannot be read", () => {
    const missing = path.join(dir, "missing.json");
    expect(() => loadConversations(missing)).toThrow(/missing\.json is not a valid conversations file:\n {2}- cannot be read: ENOENT/);
  });
});
