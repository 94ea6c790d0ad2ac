import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadFaithBench, loadHaluEvalGeneral, loadHaluEvalQa, loadSurgeToxicity } from "./benchmark-data";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};

describe("benchmark loaders", () => {
  it("HaluEval QA: two items per row, hallucinated = positive", () => {
    const file = write("qa.jsonl", `${JSON.stringify({ knowledge: "K", question: "Q?", right_answer: "R", hallucinated_answer: "H" })}\n`);
    expect(loadHaluEvalQa(file)).toEqual([
      { id: "qa-1-right", group: "qa-1", label: false, response: "R", context: "K", question: "Q?" },
      { id: "qa-1-hallucinated", group: "qa-1", label: true, response: "H", context: "K", question: "Q?" },
    ]);
  });

  it("HaluEval general: JSON lines, yes = positive, no context", () => {
    const rows = [
      { ID: "1", user_query: "q1", chatgpt_response: "a1", hallucination: "no", hallucination_spans: [] },
      { ID: 2, user_query: "q2", chatgpt_response: "a2", hallucination: "yes", hallucination_spans: ["a2"] },
    ];
    const items = loadHaluEvalGeneral(write("general.json", rows.map((r) => JSON.stringify(r)).join("\n")));
    expect(items.map((i) => [i.id, i.label, i.context])).toEqual([
      ["general-1", false, undefined],
      ["general-2", true, undefined],
    ]);
  });

  it("Surge toxicity: Toxic = positive", () => {
    const items = loadSurgeToxicity(write("tox.csv", 'text,is_toxic\n"you, idiot",Toxic\nnice,Not Toxic\n'));
    expect(items.map((i) => [i.response, i.label])).toEqual([
      ["you, idiot", true],
      ["nice", false],
    ]);
  });

  it("FaithBench: worst label Unwanted or Questionable = unfaithful, Benign and Consistent = faithful", () => {
    const csv = [
      "source,summary,LLM,worst-label,best-label",
      "s1, sum1 ,m,Unwanted,Consistent",
      "s2,sum2,m,Questionable,Benign",
      "s3,sum3,m,Benign,Consistent",
      "s4,sum4,m,Consistent,Consistent",
    ].join("\n");
    expect(loadFaithBench(write("fb.csv", csv)).map((i) => [i.response, i.label])).toEqual([
      ["sum1", true],
      ["sum2", true],
      ["sum3", false],
      ["sum4", false],
    ]);
  });

  it("names the file and line of a bad row, and a missing file", () => {
    const bad = write("bad.csv", "text,is_toxic\nfine,Toxic\nhmm,Maybe\n");
    expect(() => loadSurgeToxicity(bad)).toThrow(/bad\.csv:3: is_toxic/);
    expect(() => loadHaluEvalQa(path.join(dir, "missing.jsonl"))).toThrow(expect.objectContaining({ code: "benchmark_missing" }));
  });
});
