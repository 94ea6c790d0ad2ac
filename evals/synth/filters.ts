/**
 * Quality filters for model-written questions. A small model writes many bad ones; these
 * cheap, deterministic checks keep only pairs a reviewer is likely to accept. In order, a pair
 * is rejected when:
 *
 * 1. `empty`            the question or the answer is blank;
 * 2. `not_a_question`   the question does not end with "?";
 * 3. `bad_length`       the question has fewer than 4 words or more than 200 characters, or the
 *                       answer fewer than 2 characters, more than 15 words or more than 120
 *                       characters (we want a short, checkable fact);
 * 4. `copies_chunk`     the question copies the chunk: the question (without "?") is a substring
 *                       of it, or shares a run of 8 consecutive words with it;
 * 5. `answer_in_question` the answer already appears in the question (it gives itself away);
 * 6. `answer_not_in_chunk` the answer is not found in the chunk. Matching ignores case, runs of
 *                       whitespace, Markdown emphasis and code marks, and trailing punctuation;
 *                       the fact kept is the chunk's own text for that span, so it appears
 *                       verbatim in the document and the expected doc id is right by construction;
 * 7. `copies_example`   the question names something that exists only in the prompt's worked
 *                       examples (their made-up products), not in the chunk.
 *
 * `duplicate` (the same question text already in the dataset or earlier in the run) is decided
 * by the writer, see `writer.ts`.
 */

export interface QaPair {
  question: string;
  answer: string;
}

export const REJECT_REASONS = [
  "empty",
  "not_a_question",
  "bad_length",
  "copies_chunk",
  "answer_in_question",
  "answer_not_in_chunk",
  "copies_example",
  "model_error",
  "duplicate",
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export type FilterResult = { ok: true; question: string; fact: string } | { ok: false; reason: RejectReason };

export const LIMITS = {
  minQuestionWords: 4,
  maxQuestionChars: 200,
  minAnswerChars: 2,
  maxAnswerWords: 15,
  maxAnswerChars: 120,
  copiedRunWords: 8,
} as const;

export interface FilterOptions {
  /** Words that appear only in the prompt's worked examples (rule 7), lower case. */
  exampleTerms?: readonly string[];
}

/**
 * Lower-cased text without `*` and backticks and with whitespace runs collapsed, plus, for each
 * character kept, its index in the original, so a match can be mapped back to the original span.
 */
export function normaliseWithMap(text: string): { text: string; map: number[] } {
  let out = "";
  const map: number[] = [];
  let pendingSpace = -1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "*" || ch === "`") continue;
    if (/\s/.test(ch)) {
      if (pendingSpace < 0) pendingSpace = i;
      continue;
    }
    if (pendingSpace >= 0 && out.length > 0) {
      out += " ";
      map.push(pendingSpace);
    }
    pendingSpace = -1;
    out += ch.toLowerCase();
    map.push(i);
  }
  return { text: out, map };
}

export function normalise(text: string): string {
  return normaliseWithMap(text).text;
}

/** Answers often end with a full stop the chunk does not have there. */
function stripTrailingPunctuation(text: string): string {
  return text.replace(/[\s.,;:!]+$/u, "");
}

/** The chunk's own text for `answer` (see rule 6), or undefined when the chunk does not contain it. */
export function findVerbatim(chunk: string, answer: string): string | undefined {
  const needle = normalise(stripTrailingPunctuation(answer));
  if (needle === "") return undefined;
  const hay = normaliseWithMap(chunk);
  const at = hay.text.indexOf(needle);
  if (at < 0) return undefined;
  return chunk.slice(hay.map[at], hay.map[at + needle.length - 1]! + 1);
}

function words(text: string): string[] {
  return normalise(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** Rule 4: the question is lifted from the chunk rather than asked about it. */
export function copiesChunk(question: string, chunk: string): boolean {
  const body = normalise(stripTrailingPunctuation(question.replace(/\?+\s*$/, "")));
  if (body !== "" && normalise(chunk).includes(body)) return true;
  const q = words(question);
  const c = ` ${words(chunk).join(" ")} `;
  const n = LIMITS.copiedRunWords;
  for (let i = 0; i + n <= q.length; i++) {
    if (c.includes(` ${q.slice(i, i + n).join(" ")} `)) return true;
  }
  return false;
}

/** Applies rules 1 to 7 to a pair written from `chunk`. */
export function filterPair(pair: QaPair, chunk: string, options: FilterOptions = {}): FilterResult {
  const question = pair.question.trim().replace(/\s+/g, " ");
  const answer = pair.answer.trim();
  if (question === "" || answer === "") return { ok: false, reason: "empty" };
  if (!question.endsWith("?")) return { ok: false, reason: "not_a_question" };
  const answerWords = answer.split(/\s+/).length;
  if (
    words(question).length < LIMITS.minQuestionWords ||
    question.length > LIMITS.maxQuestionChars ||
    answer.length < LIMITS.minAnswerChars ||
    answerWords > LIMITS.maxAnswerWords ||
    answer.length > LIMITS.maxAnswerChars
  ) {
    return { ok: false, reason: "bad_length" };
  }
  if (copiesChunk(question, chunk)) return { ok: false, reason: "copies_chunk" };
  const answerKey = normalise(stripTrailingPunctuation(answer));
  if (answerKey !== "" && normalise(question).includes(answerKey)) return { ok: false, reason: "answer_in_question" };
  const fact = findVerbatim(chunk, answer);
  if (fact === undefined) return { ok: false, reason: "answer_not_in_chunk" };
  const chunkWords = new Set(words(chunk));
  const questionWords = words(question);
  if ((options.exampleTerms ?? []).some((term) => questionWords.includes(term) && !chunkWords.has(term))) {
    return { ok: false, reason: "copies_example" };
  }
  return { ok: true, question, fact };
}
