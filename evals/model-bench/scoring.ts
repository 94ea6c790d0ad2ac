import type { PromptStyle } from "./prompts";
import { LETTERS } from "./prompts";
import type { HumanEvalItem } from "./types";

/**
 * Answer extraction. Everything that does not parse is wrong (and counted as "unparsed"), never
 * skipped: a model that cannot follow the format should not score better for it.
 */

/**
 * The option a reply picks: a leading letter ("B", " (B)", "B. Paris"), else "answer is B",
 * else a reply that starts with exactly one option's text. Letters past the last option are
 * not answers.
 */
export function extractChoice(output: string, choices: readonly string[]): number | null {
  const text = output.trim();
  const valid = (letter: string | undefined) => {
    const index = letter === undefined ? -1 : LETTERS.indexOf(letter.toUpperCase());
    return index >= 0 && index < choices.length ? index : null;
  };
  const leading = valid(/^\(?([A-Z])(?:[).:,\s]|$)/.exec(text)?.[1]);
  if (leading !== null) return leading;
  const stated = valid(/\b(?:answer|option)(?: is|:)?\s*\(?([A-Z])\b/i.exec(text)?.[1]);
  if (stated !== null) return stated;
  const lower = text.toLowerCase();
  const byText = choices
    .map((choice, index) => ({ choice: choice.trim().toLowerCase(), index }))
    .filter(({ choice }) => choice && lower.startsWith(choice));
  return byText.length === 1 ? byText[0]!.index : null;
}

const NUMBER = String.raw`-?\$?\s*\d[\d,]*(?:\.\d+)?`;

/** "1,000", "$18", "18.00", "18." → "1000", "18", "18", "18". */
export function normalizeNumber(raw: string): string | null {
  const cleaned = raw.replace(/[$,\s]/g, "").replace(/\.$/, "");
  const value = Number(cleaned);
  if (!Number.isFinite(value)) return null;
  return String(value);
}

/**
 * The final number of a GSM8K reply: "The answer is N" (the exemplars' format), else "#### N"
 * (the dataset's), else the last number in the reply (lm-evaluation-harness's flexible match).
 * `rule` says which one matched, reported per item.
 */
export function extractGsm8kAnswer(output: string): { value: string | null; rule: "answer-is" | "####" | "last-number" | "none" } {
  const answerIs = new RegExp(String.raw`answer is\s*:?\s*(${NUMBER})`, "i").exec(output);
  if (answerIs) return { value: normalizeNumber(answerIs[1]!), rule: "answer-is" };
  const hashes = new RegExp(String.raw`####\s*(${NUMBER})`).exec(output);
  if (hashes) return { value: normalizeNumber(hashes[1]!), rule: "####" };
  const all = [...output.matchAll(new RegExp(NUMBER, "g"))];
  const last = all.at(-1);
  if (last) return { value: normalizeNumber(last[0]), rule: "last-number" };
  return { value: null, rule: "none" };
}

export function gsm8kCorrect(extracted: string | null, reference: string): boolean {
  if (extracted === null) return false;
  const a = Number(extracted);
  const b = Number(normalizeNumber(reference));
  return Number.isFinite(a) && Number.isFinite(b) && Math.abs(a - b) < 1e-6;
}

/** The code in a chat reply: the first fenced block (```python or ```), else the whole reply. */
export function codeFromReply(reply: string): string {
  const fenced = /```[a-zA-Z0-9_+-]*\n([\s\S]*?)(?:```|$)/.exec(reply);
  return fenced ? fenced[1]! : reply;
}

/**
 * The program HumanEval executes: the function (prompt + completion, or the prompt then the
 * chat reply's full definition, which replaces the stub), the task's tests, and the call
 * `check(<entry point>)`, as in openai/human-eval's `execution.py`.
 */
export function humanEvalProgram(item: HumanEvalItem, completion: string, style: PromptStyle): string {
  let code: string;
  if (style === "continuation") {
    // A stop sequence may be missed (API-side limits, a fence in mid-line): cut at the fence.
    const fence = completion.indexOf("```");
    code = item.prompt + (fence >= 0 ? completion.slice(0, fence) : completion);
  } else {
    code = `${item.prompt}\n    pass\n\n${codeFromReply(completion)}`;
  }
  return `${code}\n\n${item.test}\n\ncheck(${item.entryPoint})\n`;
}
