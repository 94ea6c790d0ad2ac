import { runPython, type PythonRunResult } from "@/lib/sandbox/python-runner";
import { OpenInferenceSpanKind, ioAttributes, withSpan } from "@/lib/telemetry/spans";
import { loadGsm8k, loadHumanEval, loadMmluDev, loadMmluTest, loadTruthfulQa } from "./load";
import { gsm8kPrompt, humanEvalPrompt, LETTERS, mmluPrompt, truthfulQaPrompt, type BenchPrompt, type PromptStyle } from "./prompts";
import { sampleAcrossSubjects, sampleItems, shuffleChoices } from "./sample";
import { extractChoice, extractGsm8kAnswer, gsm8kCorrect, humanEvalProgram } from "./scoring";
import type { BenchItem, BenchName, ChoiceItem, Gsm8kItem, HumanEvalItem } from "./types";

/** What the runner needs of one benchmark: its items, a prompt per item, a scorer per reply. */
export interface BenchmarkSpec<T extends BenchItem = BenchItem> {
  name: BenchName;
  metric: "accuracy" | "pass@1";
  items: T[];
  /** Expected score of a random guesser on these items. */
  chance: number;
  prompt(item: T): BenchPrompt;
  score(item: T, output: string): Promise<Scored>;
}

export interface Scored {
  correct: boolean;
  extracted: string | null;
  expected: string;
  details?: Record<string, unknown>;
}

export interface SpecOptions {
  benchDataDir: string;
  limit?: number;
  seed: number;
  style: PromptStyle;
  mmluShots: number;
  gsm8kShots: number;
  /** Wall-clock limit per HumanEval program (openai/human-eval uses 3 s; a loaded 2-core box needs more). */
  humanEvalTimeoutMs: number;
}

function scoreChoice(item: ChoiceItem, output: string): Scored {
  const picked = extractChoice(output, item.choices);
  return { correct: picked === item.answer, extracted: picked === null ? null : LETTERS[picked]!, expected: LETTERS[item.answer]! };
}

function mmluSpec(options: SpecOptions): BenchmarkSpec<ChoiceItem> {
  const dev = loadMmluDev(options.benchDataDir);
  const sampled = sampleAcrossSubjects(loadMmluTest(options.benchDataDir), options.limit, options.seed);
  // Run subject by subject: consecutive prompts then share the few-shot prefix, which llama.cpp
  // does not evaluate again. The sample itself does not depend on this order.
  const items = [...sampled].sort((a, b) => a.subject.localeCompare(b.subject));
  return {
    name: "mmlu",
    metric: "accuracy",
    items,
    chance: 0.25,
    prompt: (item) => mmluPrompt(item, dev.get(item.subject) ?? [], options.mmluShots),
    score: (item, output) => Promise.resolve({ ...scoreChoice(item, output), details: { subject: item.subject } }),
  };
}

function truthfulQaSpec(options: SpecOptions): BenchmarkSpec<ChoiceItem> {
  const items = sampleItems(loadTruthfulQa(options.benchDataDir), options.limit, options.seed).map((item) =>
    shuffleChoices(item, options.seed),
  );
  return {
    name: "truthfulqa",
    metric: "accuracy",
    items,
    chance: items.reduce((sum, item) => sum + 1 / item.choices.length, 0) / Math.max(1, items.length),
    prompt: truthfulQaPrompt,
    score: (item, output) => Promise.resolve(scoreChoice(item, output)),
  };
}

function gsm8kSpec(options: SpecOptions): BenchmarkSpec<Gsm8kItem> {
  return {
    name: "gsm8k",
    metric: "accuracy",
    items: sampleItems(loadGsm8k(options.benchDataDir), options.limit, options.seed),
    chance: 0,
    prompt: (item) => gsm8kPrompt(item, options.gsm8kShots, options.style),
    score: (item, output) => {
      const { value, rule } = extractGsm8kAnswer(output);
      return Promise.resolve({ correct: gsm8kCorrect(value, item.answer), extracted: value, expected: item.answer, details: { rule } });
    },
  };
}

/** Runs one HumanEval program in the Python sandbox, as a TOOL span under the item's span. */
export async function executeHumanEval(
  item: HumanEvalItem,
  completion: string,
  style: PromptStyle,
  timeoutMs: number,
): Promise<PythonRunResult> {
  const program = humanEvalProgram(item, completion, style);
  return withSpan("python_sandbox", { kind: OpenInferenceSpanKind.TOOL, attributes: ioAttributes("input", program) }, async (span) => {
    const result = await runPython(program, { timeoutMs });
    span.setAttributes(ioAttributes("output", { ok: result.ok, error: result.error ?? null, isolation: result.isolation }));
    return result;
  });
}

function humanEvalSpec(options: SpecOptions): BenchmarkSpec<HumanEvalItem> {
  return {
    name: "humaneval",
    metric: "pass@1",
    items: sampleItems(loadHumanEval(options.benchDataDir), options.limit, options.seed),
    chance: 0,
    prompt: (item) => humanEvalPrompt(item, options.style),
    score: async (item, output) => {
      const result = await executeHumanEval(item, output, options.style, options.humanEvalTimeoutMs);
      const failure = result.error ? `${result.error.code}: ${result.error.message}`.slice(0, 300) : undefined;
      return {
        correct: result.ok,
        extracted: result.ok ? "pass" : `fail (${result.error?.code ?? "exit"})`,
        expected: "pass",
        details: {
          ...(failure ? { failure } : {}),
          network: result.isolation.network,
          user: result.isolation.user,
          durationMs: result.durationMs,
        },
      };
    },
  };
}

/** Loads, samples and orders one benchmark's items. Throws benchmark_missing / benchmark_invalid. */
export function benchmarkSpec(name: BenchName, options: SpecOptions): BenchmarkSpec {
  switch (name) {
    case "mmlu":
      return mmluSpec(options);
    case "truthfulqa":
      return truthfulQaSpec(options);
    case "gsm8k":
      return gsm8kSpec(options);
    case "humaneval":
      return humanEvalSpec(options);
  }
}
