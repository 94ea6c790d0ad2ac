import { AIMessage, HumanMessage, type BaseMessage } from "@langchain/core/messages";
import { GSM8K_COT_EXEMPLARS } from "./gsm8k-exemplars";
import type { ChoiceItem, Gsm8kItem, HumanEvalItem } from "./types";

/**
 * The prompts, in two styles:
 *
 * - "continuation" (local GGUF models): a one-line instruction as the user turn, and the
 *   few-shot text as the START of the model's own turn, which the model continues. The chat
 *   template still wraps it, but what the model extends is the classic completion prompt, so a
 *   base model (the Gemma 3 270M file here has no chat template) and an instruct model
 *   (SmolLM2) are asked the same way. It also keeps the prefix byte-identical between items of
 *   a subject, so llama.cpp reuses its evaluated tokens.
 * - "chat" (API models): everything in one user message; chat APIs do not continue a
 *   prefilled assistant turn.
 */
export type PromptStyle = "continuation" | "chat";

export interface BenchPrompt {
  instruction: string;
  body: string;
  stop: string[];
  maxTokens: number;
  details: Record<string, unknown>;
}

export function toMessages(prompt: BenchPrompt, style: PromptStyle): BaseMessage[] {
  return style === "continuation"
    ? [new HumanMessage(prompt.instruction), new AIMessage(prompt.body)]
    : [new HumanMessage(`${prompt.instruction}\n\n${prompt.body}`)];
}

export const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** Letter answers are one token; a few more catch "The answer is B" from a chatty model. */
const CHOICE_MAX_TOKENS = 8;
/** Not "\n": a model that starts its reply with a line break would stop before the letter. */
const CHOICE_STOP = ["\n\n"];

/**
 * Few-shot text beyond this many characters (~1,800 tokens) drops its last shots: a handful of
 * MMLU subjects (the history ones) have 5-shot prompts of 10k+ characters, which on a 2-core CPU
 * cost more than every other subject together and come near the 4,096-token context.
 */
export const MMLU_MAX_PROMPT_CHARS = 7000;

function formatChoiceQuestion(item: ChoiceItem): string {
  return [item.question.trim(), ...item.choices.map((choice, index) => `${LETTERS[index]}. ${choice.trim()}`), "Answer:"].join("\n");
}

const subjectName = (subject: string) => subject.replace(/_/g, " ");

/** Hendrycks et al.'s MMLU format: header, k solved dev questions, then the question and "Answer:". */
export function mmluPrompt(item: ChoiceItem, dev: readonly ChoiceItem[], shots: number): BenchPrompt {
  const header = `The following are multiple choice questions (with answers) about ${subjectName(item.subject)}.\n\n`;
  const question = formatChoiceQuestion(item);
  let used = Math.min(shots, dev.length);
  const shotText = (k: number) =>
    dev
      .slice(0, k)
      .map((d) => `${formatChoiceQuestion(d)} ${LETTERS[d.answer]}\n\n`)
      .join("");
  while (used > 0 && header.length + shotText(used).length + question.length > MMLU_MAX_PROMPT_CHARS) used--;
  return {
    instruction: "Answer the last multiple choice question with the letter of the correct option.",
    body: `${header}${shotText(used)}${question}`,
    stop: CHOICE_STOP,
    maxTokens: CHOICE_MAX_TOKENS,
    details: { shots: used },
  };
}

/**
 * Two solved examples in the same format, written from the TruthfulQA paper's own QA prompt
 * questions (not test items), so that a base model learns to answer with a letter. The true
 * answer sits at B, then A, so the shots teach no position.
 */
const TRUTHFULQA_SHOTS: readonly ChoiceItem[] = [
  {
    kind: "choice",
    id: "shot-1",
    subject: "truthfulqa",
    question: "What is human life expectancy in the United States?",
    choices: [
      "Human life expectancy in the United States is 125 years.",
      "Human life expectancy in the United States is 78 years.",
      "Human life expectancy in the United States is 40 years.",
    ],
    answer: 1,
  },
  {
    kind: "choice",
    id: "shot-2",
    subject: "truthfulqa",
    question: "Where were the 1992 Olympics held?",
    choices: [
      "The 1992 Olympics were held in Barcelona, Spain.",
      "The 1992 Olympics were held in Los Angeles, California, USA.",
      "The 1992 Olympics were held on the Moon.",
    ],
    answer: 0,
  },
];

/** TruthfulQA MC1 as a lettered question (choices already shuffled) after the two shots above. */
export function truthfulQaPrompt(item: ChoiceItem): BenchPrompt {
  const shots = TRUTHFULQA_SHOTS.map((shot) => `${formatChoiceQuestion(shot)} ${LETTERS[shot.answer]}\n\n`).join("");
  return {
    instruction: "Answer the last multiple choice question with the letter of the true answer.",
    body: `The following are multiple choice questions (with answers). Exactly one answer is true.\n\n${shots}${formatChoiceQuestion(item)}`,
    stop: CHOICE_STOP,
    maxTokens: CHOICE_MAX_TOKENS,
    details: { shots: TRUTHFULQA_SHOTS.length, choices: item.choices.length },
  };
}

/** GSM8K k-shot chain of thought ("Q: ... A: ... The answer is N."). */
export function gsm8kPrompt(item: Gsm8kItem, shots: number, style: PromptStyle): BenchPrompt {
  const used = Math.min(shots, GSM8K_COT_EXEMPLARS.length);
  const exemplars = GSM8K_COT_EXEMPLARS.slice(0, used)
    .map((e) => `Q: ${e.question}\nA: ${e.answer}\n\n`)
    .join("");
  return {
    instruction: 'Solve the math word problem step by step. End with "The answer is <number>."',
    body: `${exemplars}Q: ${item.question.trim()}\nA:`,
    // A completion ends where the exemplars do: a blank line or the next "Q:". Chat models may
    // use paragraphs, so they only stop at a new question.
    stop: style === "continuation" ? ["\n\n", "\nQ:", "Q:"] : ["\nQ:"],
    maxTokens: style === "continuation" ? 256 : 512,
    details: { shots: used },
  };
}

/**
 * HumanEval: continuation style opens a Python code block with the function's signature and
 * docstring and lets the model write the body; it stops where Codex's evaluation stops (a new
 * top-level statement). Chat style asks for the whole function in a code block.
 */
export function humanEvalPrompt(item: HumanEvalItem, style: PromptStyle): BenchPrompt {
  if (style === "continuation") {
    return {
      instruction: "Complete the following Python function.",
      body: `\`\`\`python\n${item.prompt}`,
      stop: ["\n```", "\ndef ", "\nclass ", "\nif __name__", "\nprint(", "\n#", "\nassert "],
      // Most canonical solutions are under 150 tokens; a base model that wanders into comments
      // is cut here instead of costing 10+ s an item on a 2-core CPU.
      maxTokens: 256,
      details: { style },
    };
  }
  return {
    instruction: "Complete the following Python function. Reply with the complete function (with its imports) in one ```python code block.",
    body: item.prompt,
    stop: [],
    maxTokens: 600,
    details: { style },
  };
}
