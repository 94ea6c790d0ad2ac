import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROUTES } from "@/agents/routes/registry";
import { mentions } from "./judge";
import { DEFAULT_CONVERSATIONS_FILE, loadConversations } from "./load";
import { newRunId, sessionIdFor, turnsByRoute } from "./plan";

// The committed traffic: valid, covering every route, with multi-turn sessions, expectations
// that the knowledge base really states, and no message copied from an eval dataset.

const conversations = loadConversations(DEFAULT_CONVERSATIONS_FILE);
const sessions = conversations.personas.flatMap((p) => p.sessions.map((s) => ({ persona: p, ...s })));
const turns = sessions.flatMap((s) => s.turns.map((t) => ({ persona: s.persona, session: s, ...t })));
const root = process.cwd();

describe("evals/traffic/conversations.json", () => {
  it("validates and has about ten personas, 45+ sessions and 100 turns", () => {
    expect(conversations.personas.length).toBeGreaterThanOrEqual(10);
    expect(sessions.length).toBeGreaterThanOrEqual(45);
    expect(turns.length).toBeGreaterThanOrEqual(100);
  });

  it("covers every route with at least 10 turns", () => {
    const counts = turnsByRoute(sessions);
    for (const route of ROUTES)
      expect(counts[route], `conversations.json needs 10 turns for ${route} (see CONTRIBUTING.md, 'Adding a tool')`).toBeGreaterThanOrEqual(
        10,
      );
  });

  it("has multi-turn sessions with follow-ups that depend on the earlier turns", () => {
    const multi = sessions.filter((s) => s.turns.length > 1);
    expect(multi.length).toBeGreaterThanOrEqual(20);
    const withFollowUp = sessions.filter((s) => s.turns.slice(1).some((t) => t.tags.includes("follow-up")));
    expect(withFollowUp.length).toBeGreaterThanOrEqual(15);
    // A follow-up is never the first turn, except a vague message (the assistant should ask back).
    for (const s of sessions) {
      const first = s.turns[0]!;
      if (first.tags.includes("follow-up")) expect(first.tags, first.message).toContain("vague");
    }
  });

  it("has the kinds of traffic curation looks for", () => {
    const tagged = (tag: string) => turns.filter((t) => (t.tags as string[]).includes(tag)).length;
    for (const tag of [
      "typo",
      "paraphrase",
      "new-question",
      "toxic-bait",
      "prompt-injection",
      "off-topic",
      "unanswerable",
      "conflict",
      "vague",
      "code-tests",
    ]) {
      expect(tagged(tag), tag).toBeGreaterThanOrEqual(2);
    }
    expect(turns.filter((t) => t.feedback === "never").length).toBeGreaterThan(0);
    expect(new Set(conversations.personas.map((p) => p.feedback.style)).size).toBeGreaterThanOrEqual(3);
  });

  it("gives most turns an expectation, and abstention to unanswerable and off-topic ones", () => {
    expect(turns.filter((t) => t.expect).length / turns.length).toBeGreaterThan(0.85);
    for (const t of turns.filter((t) => t.tags.includes("unanswerable") || t.tags.includes("off-topic")))
      expect(t.expect?.abstain, t.message).toBe(true);
    for (const t of turns.filter((t) => t.tags.includes("vague"))) expect(t.expect?.clarify, t.message).toBe(true);
  });

  it("expects only what the knowledge base states, for knowledge questions", () => {
    const corpusDir = path.join(root, "data", "corpus");
    const corpus = fs
      .readdirSync(corpusDir)
      .filter((f) => f.endsWith(".md"))
      .map((f) => fs.readFileSync(path.join(corpusDir, f), "utf8"));
    const stated = (phrase: string) => corpus.some((doc) => mentions(doc, phrase));
    for (const t of turns.filter((t) => t.route === "knowledge_base_search" && t.expect)) {
      const { anyOf = [], allOf = [] } = t.expect!;
      if (anyOf.length > 0) expect(anyOf.some(stated), `${t.message}: none of ${anyOf.join(" | ")} is in data/corpus`).toBe(true);
      for (const phrase of allOf) expect(stated(phrase), `${t.message}: "${phrase}" is not in data/corpus`).toBe(true);
    }
  });

  it("phrases every message differently from the hand-written eval datasets", () => {
    const dir = path.join(root, "evals", "datasets");
    const norm = (s: string) =>
      s
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, " ")
        .trim();
    const existing = new Set<string>();
    // production.jsonl is curated from this very traffic, so it shares its messages by design.
    const handWritten = ["manual.jsonl", "routing.jsonl"];
    for (const file of fs.readdirSync(dir).filter((f) => handWritten.includes(f))) {
      for (const line of fs.readFileSync(path.join(dir, file), "utf8").split("\n")) {
        if (!line.trim()) continue;
        const example = JSON.parse(line) as { input?: { message?: string } };
        if (example.input?.message) existing.add(norm(example.input.message));
      }
    }
    const copied = turns.filter((t) => existing.has(norm(t.message))).map((t) => t.message);
    // Short generic follow-ups ("and in Q3?") may coincide; real questions must not.
    expect(copied.filter((m) => m.split(/\s+/).length > 4)).toEqual([]);
  });

  it("fits every session id into the chat API's 64 characters", () => {
    for (const p of conversations.personas) {
      const id = sessionIdFor(p.id, p.sessions.length, newRunId(Date.UTC(2100, 0, 1)));
      expect(id).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    }
  });
});
