import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { AppError } from "../../lib/errors";
import { loadCorpus } from "../../lib/ingest/corpus";
import { ScriptedChatModel, type ScriptedReply } from "../../lib/llm/scripted-chat-model";
import type { Chunk } from "../../lib/vectorstore/types";
import { DatasetError, loadDataset } from "@/lib/datasets/dataset-example";
import { checkIntegrity } from "@/test-support/evals/dataset-integrity";
import { loadSourceChunks, MIN_CHUNK_CHARS, sampleChunks } from "./chunks";
import { copiesChunk, filterPair, findVerbatim } from "./filters";
import { generateCandidates, type SynthCandidate } from "./generate";
import { appendSynthetic, questionKey, syntheticId } from "./writer";

const CORPUS_DIR = fileURLToPath(new URL("../../data/corpus", import.meta.url));
const CHUNKING = { size: 800, overlap: 120 };

const RETURNS =
  "## Return window\n\nYou can return any hardware product within **45 days of delivery** for a refund. " +
  "The delivery date is the date on the carrier's proof of delivery.";

describe("filterPair", () => {
  it("keeps a good pair and returns the answer as the chunk writes it", () => {
    expect(filterPair({ question: "How long do customers have to send hardware back?", answer: "45 Days of delivery." }, RETURNS)).toEqual({
      ok: true,
      question: "How long do customers have to send hardware back?",
      fact: "45 days of delivery",
    });
  });

  it.each([
    [{ question: "  ", answer: "45 days" }, "empty"],
    [{ question: "How long is the return window?", answer: "" }, "empty"],
    [{ question: "Tell me the return window", answer: "45 days" }, "not_a_question"],
    [{ question: "Return window?", answer: "45 days" }, "bad_length"],
    [
      {
        question: "How long is the return window?",
        answer: "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen",
      },
      "bad_length",
    ],
    [{ question: "What is the date on the carrier's proof of delivery?", answer: "The delivery date" }, "copies_chunk"],
    [{ question: "Can you return any hardware product within 45 days of delivery for money?", answer: "yes" }, "copies_chunk"],
    [{ question: "Is the return window 45 days of delivery long?", answer: "45 days of delivery" }, "answer_in_question"],
    [{ question: "How long is the return window for hardware?", answer: "4" }, "bad_length"],
    [{ question: "How long is the return window for hardware?", answer: "30 days" }, "answer_not_in_chunk"],
  ])("rejects %j as %s", (pair, reason) => {
    expect(filterPair(pair, RETURNS)).toEqual({ ok: false, reason });
  });

  it("rejects a question about the prompt's made-up example products, unless the chunk mentions them", () => {
    const pair = { question: "How long can I return a Widget W1?", answer: "45 days" };
    expect(filterPair(pair, RETURNS, { exampleTerms: ["widget"] })).toEqual({ ok: false, reason: "copies_example" });
    expect(filterPair(pair, `${RETURNS} This includes every widget.`, { exampleTerms: ["widget"] })).toMatchObject({ ok: true });
  });

  it("matches answers across Markdown emphasis, case and whitespace, returning the chunk's own span", () => {
    expect(findVerbatim("Tokens are valid for **3,600 seconds** (1 hour).", "3,600 SECONDS")).toBe("3,600 seconds");
    expect(findVerbatim("Limit: 600 requests\nper minute.", "600 requests per minute.")).toBe("600 requests\nper minute");
    expect(findVerbatim("within **45 days of delivery**", "within 45 days")).toBe("within **45 days");
    expect(findVerbatim("anything", "  .")).toBeUndefined();
  });

  it("treats an 8-word run shared with the chunk as copying, but not a shorter one", () => {
    expect(copiesChunk("Is it true that you can return any hardware product within 45 days?", RETURNS)).toBe(true);
    expect(copiesChunk("Which hardware product can I return, and how many days do I get?", RETURNS)).toBe(false);
  });
});

describe("chunk sampling", () => {
  it("is deterministic for a seed and draws without replacement", () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const a = sampleChunks(items, 10, 7);
    expect(sampleChunks(items, 10, 7)).toEqual(a);
    expect(sampleChunks(items, 10, 8)).not.toEqual(a);
    expect(new Set(a).size).toBe(10);
    expect(sampleChunks(items, 80, 1).sort((x, y) => x - y)).toEqual(items);
  });

  it("cuts the corpus into index-style chunks, skipping ones too short to ask about", async () => {
    const chunks = await loadSourceChunks(CORPUS_DIR, CHUNKING);
    const docIds = new Set(loadCorpus(CORPUS_DIR).map((d) => d.id));
    expect(chunks.length).toBeGreaterThan(65);
    for (const chunk of chunks) {
      expect(chunk.id).toMatch(new RegExp(`^${chunk.docId}#\\d+$`));
      expect(docIds.has(chunk.docId)).toBe(true);
      expect(chunk.text.trim().length).toBeGreaterThanOrEqual(MIN_CHUNK_CHARS);
    }
  });
});

const chunk = (id: string, text: string): Chunk => ({ id: `${id}#0`, docId: id, title: id, topic: "t", text, start: 0, end: text.length });

describe("generateCandidates (ScriptedChatModel)", () => {
  it("asks for constrained JSON per chunk, keeps what passes the filters and rejects the rest with a reason", async () => {
    const replies: Record<string, ScriptedReply> = {
      good: { json: { question: "How long do customers have to send hardware back?", answer: "45 days of delivery" } },
      statement: { json: { question: "Hardware can be returned", answer: "45 days of delivery" } },
      invented: { json: { question: "What is the restocking fee for drones?", answer: "25%" } },
      broken: { text: "not json at all" },
    };
    const model = new ScriptedChatModel({ script: ({ prompt }) => replies[/Passage from "(\w+)"/.exec(prompt)?.[1] ?? ""] ?? "" });
    const progress: [number, number][] = [];
    const outcomes = await generateCandidates(
      model,
      Object.keys(replies).map((id) => chunk(id, RETURNS)),
      { onProgress: (done, kept) => progress.push([done, kept]) },
    );
    expect(outcomes.map((o) => (o.kept ? "kept" : o.reason))).toEqual(["kept", "not_a_question", "answer_not_in_chunk", "model_error"]);
    expect(outcomes[0]).toMatchObject({ kept: true, candidate: { docId: "good", chunkId: "good#0", fact: "45 days of delivery" } });
    expect(progress).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
      [4, 1],
    ]);
    expect(model.calls).toHaveLength(4);
    expect(model.calls[0]!.structuredOutput?.name).toBe("synthetic_question");
    expect(model.calls[0]!.structuredOutput?.schema).toMatchObject({ required: ["question", "answer"], additionalProperties: false });
    expect(model.calls[0]!.messages.at(-1)?.content).toContain("45 days of delivery");
  });

  it("stops the run when the model is missing instead of rejecting every chunk", async () => {
    const model = new ScriptedChatModel({
      script: () => {
        throw new AppError("model_missing", "no GGUF file");
      },
    });
    await expect(generateCandidates(model, [chunk("a", RETURNS), chunk("b", RETURNS)])).rejects.toMatchObject({ code: "model_missing" });
    expect(model.calls.length).toBeLessThanOrEqual(1);
  });
});

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "synth-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let fileNo = 0;
const tempFile = () => path.join(tmp, `synthetic-${fileNo++}.jsonl`);
const candidate = (question: string, fact = "45 days of delivery", docId = "returns-policy"): SynthCandidate => ({
  question,
  fact,
  docId,
  chunkId: `${docId}#0`,
});
const NOW = new Date("2026-11-27T12:00:00.000Z");

describe("appendSynthetic", () => {
  it("creates the file with unreviewed synthetic examples that load and validate", () => {
    const file = tempFile();
    const result = appendSynthetic(file, [candidate("How long is the return window?")], NOW);
    expect(result).toMatchObject({ total: 1, duplicates: [] });
    const [example] = loadDataset(file);
    expect(example).toEqual({
      id: syntheticId("How long is the return window?"),
      input: { message: "How long is the return window?" },
      expected: { facts: ["45 days of delivery"], docIds: ["returns-policy"], route: "knowledge_base_search" },
      tags: ["synthetic", "knowledge_base_search", "retrieval"],
      source: "synthetic",
      createdAt: "2026-11-27T12:00:00.000Z",
      reviewed: false,
    });
    expect(example!.id).toMatch(/^syn-[0-9a-f]{12}$/);
    expect(fs.readdirSync(tmp).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  it("appends, keeps existing lines byte for byte, and skips duplicate questions (in the file and in the batch)", () => {
    const file = tempFile();
    // A reviewed line with its own key order and spacing: a reviewer's edit must survive.
    const reviewed =
      '{"reviewed": true, "id": "syn-aaaaaaaaaaaa", "source": "synthetic", "createdAt": "2026-01-01T00:00:00.000Z", ' +
      '"tags": ["synthetic"], "input": {"message": "How long is the return window?"}, "expected": {}}';
    fs.writeFileSync(file, reviewed);
    const result = appendSynthetic(
      file,
      [
        candidate("how long is the  RETURN window"),
        candidate("What is the restocking fee?", "10%"),
        candidate("What is the restocking fee ?", "10%"),
      ],
      NOW,
    );
    expect(result.added.map((e) => e.input.message)).toEqual(["What is the restocking fee?"]);
    expect(result.duplicates).toHaveLength(2);
    expect(result.total).toBe(2);
    const lines = fs.readFileSync(file, "utf8").split("\n");
    expect(lines[0]).toBe(reviewed);
    expect(loadDataset(file).map((e) => e.reviewed)).toEqual([true, false]);
  });

  it("does not touch the file when nothing is new, and refuses to append to an invalid file", () => {
    const file = tempFile();
    appendSynthetic(file, [candidate("How long is the return window?")], NOW);
    const before = fs.readFileSync(file, "utf8");
    expect(appendSynthetic(file, [candidate("How long is the return window?")], NOW).added).toEqual([]);
    expect(fs.readFileSync(file, "utf8")).toBe(before);

    const broken = tempFile();
    fs.writeFileSync(broken, '{"id": "half a line"\n');
    expect(() => appendSynthetic(broken, [candidate("What is the restocking fee?", "10%")], NOW)).toThrow(DatasetError);
    expect(fs.readFileSync(broken, "utf8")).toBe('{"id": "half a line"\n');
  });

  it("treats case, spacing and the question mark as the same question", () => {
    expect(questionKey("  How LONG is it ? ")).toBe(questionKey("how long is it"));
    expect(syntheticId("How long is it?")).toBe(syntheticId("how long is it"));
  });
});

describe("synth end to end on the real corpus", () => {
  it("writes examples whose doc id and fact pass the dataset integrity checks", async () => {
    const chunks = await loadSourceChunks(CORPUS_DIR, CHUNKING);
    const source = chunks.find((c) => c.docId === "returns-policy" && c.text.includes("45 days of delivery"));
    expect(source).toBeDefined();
    const model = new ScriptedChatModel({
      script: [{ json: { question: "How long after delivery can I still send a robot back?", answer: "45 days of delivery" } }],
    });
    const outcomes = await generateCandidates(model, [source!]);
    const kept = outcomes.flatMap((o) => (o.kept ? [o.candidate] : []));
    const file = tempFile();
    appendSynthetic(file, kept, NOW);
    const corpus = new Map(loadCorpus(CORPUS_DIR).map((d) => [d.id, `${d.title}\n${d.body}`]));
    expect(checkIntegrity([{ file: "synthetic.jsonl", examples: loadDataset(file) }], corpus)).toEqual([]);
  });
});
