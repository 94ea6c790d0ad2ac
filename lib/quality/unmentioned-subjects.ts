import { embedDocumentsCached } from "@/lib/embeddings/cached-embeddings";
import type { Embedder } from "@/lib/embeddings/types";
import { dot } from "@/lib/math/vector";
import { questionNouns } from "@/lib/text/question-nouns";
import { contentWords, normalizeText } from "./text";
import { everydayRank, FRAMING, isKnownWord } from "./uncovered-terms";

/**
 * The few hundred commonest words of spoken English ("back", "money", "time", "thing") frame a
 * question rather than name its subject, and the tagger takes some of them for nouns ("get my
 * money back"). On the dev split leaving out the top 150, 300 or 500 changed no decision and
 * the top 1,000 lost one right abstention; on `npm run traffic` "back" had declined a refund
 * question.
 */
const COMMONEST_RANK = 300;

/** A noun of the question and how close the passages come to naming it: 1 when one of them does. */
export interface SubjectMention {
  noun: string;
  similarity: number;
}

/**
 * How close the retrieved passages come to naming each noun of the question. A noun below
 * SUBJECT_SIMILARITY_MIN (lib/quality/thresholds.ts) is one the passages never mention, not even in other words:
 * "jury" when the passages found for a jury-duty question are about PTO and parental leave.
 * A passage that never names a question's subject cannot answer it, however close the rest
 * of the question comes (similarity alone does not separate these: lib/quality/thresholds.ts).
 *
 * A noun counts as mentioned when a passage has it, an inflection or a misspelling of it, or
 * a word whose embedding is at least SUBJECT_SIMILARITY_MIN close ("food" and "meal", "trip"
 * and "travel"). Passage words are embedded one by one through the shared vector cache: the
 * corpus has a few thousand of them, so after the first questions most are cached. Words of
 * `contextWords` (what the whole knowledge base is about: its company) are no subject.
 */
export async function subjectMentions(
  question: string,
  passageTexts: readonly string[],
  embedder: Embedder,
  contextWords: ReadonlySet<string> = new Set(),
): Promise<SubjectMention[]> {
  const passageText = passageTexts.join("\n");
  const vocabulary = new Set(contentWords(passageText));
  const subjectWord = (w: string) =>
    /[a-z]/.test(w) && w.length > 1 && !FRAMING.has(w) && !contextWords.has(w) && (everydayRank(w) ?? Infinity) >= COMMONEST_RANK;
  const nouns = questionNouns(question).filter((noun) => contentWords(noun).some(subjectWord));
  const named = (noun: string) => contentWords(noun).every((w) => !subjectWord(w) || isKnownWord(w, vocabulary));
  const unnamed = nouns.filter((noun) => !named(noun));
  const passageWords = [...new Set(normalizeText(passageText).match(/[a-z][a-z0-9]*(?:['-][a-z0-9]+)*/g) ?? [])];
  const [nounVectors, wordVectors] =
    unnamed.length > 0 && passageWords.length > 0
      ? await Promise.all([embedDocumentsCached(embedder, unnamed), embedDocumentsCached(embedder, passageWords)])
      : [[], []];
  return nouns.map((noun) => {
    const i = unnamed.indexOf(noun);
    if (i < 0) return { noun, similarity: 1 };
    const v = nounVectors[i];
    return { noun, similarity: v ? Math.max(0, ...wordVectors.map((w) => dot(v, w))) : 0 };
  });
}
