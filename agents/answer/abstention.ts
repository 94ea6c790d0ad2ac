import type { Embedder } from "@/lib/embeddings/types";
import { EVIDENCE_SCORE_CONFIDENT, RETRIEVAL_TOP_SCORE_LOW, SUBJECT_SIMILARITY_MIN } from "@/lib/quality/thresholds";
import { uncoveredTerms } from "@/lib/quality/uncovered-terms";
import { subjectMentions, type SubjectMention } from "@/lib/quality/unmentioned-subjects";
import type { CorpusVocabulary } from "@/lib/vectorstore/corpus-vocabulary";
import type { ScoredChunk } from "@/lib/vectorstore/types";
import { evidenceText, type Evidence } from "../evidence";

/**
 * Whether the knowledge base can answer, decided before the model writes a word. The 135M
 * model answers whatever it is asked, from whatever it is given, so the decision cannot be
 * left to it. Four signals that need no chat model:
 * - nothing relevant: the best chunk is below RETRIEVAL_TOP_SCORE_LOW (off-topic questions);
 * - unknown terms: the question names something no document mentions ("bereavement", a
 *   product code that does not exist), see lib/quality/uncovered-terms.ts;
 * - another subject: the question names a product or code ("S20") and the best evidence is
 *   about others ("S10"), so any figure in it answers a different question;
 * - unmentioned subject: a noun of the question that the retrieved passages never name, not
 *   even in other words ("jury" among passages on PTO), while no evidence unit matches the
 *   question closely (lib/quality/unmentioned-subjects.ts).
 * Similarity alone cannot tell an unanswerable in-corpus question from an answerable one
 * (lib/quality/thresholds.ts); the guard after generation catches what gets past these.
 */
export type AbstainReason =
  | { kind: "nothing_relevant"; topScore: number }
  | { kind: "unknown_terms"; terms: string[] }
  | { kind: "other_subject"; identifiers: string[] }
  | { kind: "unmentioned_subject"; terms: string[] }
  /** After generation: the model declined, or its text failed the check with no evidence to quote. */
  | { kind: "not_in_evidence" }
  /** After generation: the draft's figure came from a passage about another product or code than the one asked about. */
  | { kind: "no_figure_for"; identifiers: string[] };

export interface AbstentionInput {
  question: string;
  passages: readonly ScoredChunk[];
  evidence: readonly Evidence[];
  /** The corpus's words; without it the unknown-terms and unmentioned-subject signals are off. */
  vocabulary?: CorpusVocabulary;
  /** How close the passages come to naming each noun of the question (subjectMentions); without it that signal is off. */
  subjects?: readonly SubjectMention[];
  /** The unmentioned-subject signal's cut-offs; lib/quality/thresholds.ts by default (`npm run eval:abstention -- --sweep` varies them). */
  cutoffs?: { subjectSimilarity: number; evidenceScore: number };
}

// Product codes, error codes, tiers: a letter or a few, then digits ("R200", "E-214", "S1", "Q3").
const IDENTIFIER = /\b[A-Za-z]{1,4}-?\d{1,4}[A-Za-z]?\b/g;

/** The codes a question names, upper-cased without hyphens ("e-214" → "E214"). */
export function identifiersIn(text: string): string[] {
  return [...new Set([...text.matchAll(IDENTIFIER)].map((m) => m[0].toUpperCase().replace(/-/g, "")))];
}

export function abstentionReason(input: AbstentionInput): AbstainReason | undefined {
  const topScore = input.passages[0]?.score ?? 0;
  if (input.passages.length === 0 || topScore < RETRIEVAL_TOP_SCORE_LOW) return { kind: "nothing_relevant", topScore };
  const terms = input.vocabulary ? uncoveredTerms(input.question, input.vocabulary.words) : [];
  if (terms.length > 0) return { kind: "unknown_terms", terms };
  const identifiers = identifiersIn(input.question);
  const inEvidence = new Set(input.evidence.flatMap((e) => identifiersIn(evidenceText(e))));
  if (identifiers.length > 0 && input.evidence.length > 0 && !identifiers.some((id) => inEvidence.has(id))) {
    return { kind: "other_subject", identifiers };
  }
  const cutoffs = input.cutoffs ?? { subjectSimilarity: SUBJECT_SIMILARITY_MIN, evidenceScore: EVIDENCE_SCORE_CONFIDENT };
  const unmentioned = (input.subjects ?? []).filter((s) => s.similarity < cutoffs.subjectSimilarity).map((s) => s.noun);
  const bestEvidence = Math.max(0, ...input.evidence.map((e) => e.score));
  if (unmentioned.length > 0 && bestEvidence < cutoffs.evidenceScore) return { kind: "unmentioned_subject", terms: unmentioned };
  return undefined;
}

/** abstentionReason with every signal: works out how close the passages come to naming the question's nouns. */
export async function decideAbstention(
  input: Omit<AbstentionInput, "subjects"> & { embedder: Embedder },
): Promise<AbstainReason | undefined> {
  const early = abstentionReason(input);
  if (early || !input.vocabulary) return early;
  return abstentionReason({ ...input, subjects: await passageMentions(input.question, input.passages, input.vocabulary, input.embedder) });
}

/** subjectMentions over the retrieved passages, titles included; the corpus's common words are never a question's own subject. */
export function passageMentions(
  question: string,
  passages: readonly ScoredChunk[],
  vocabulary: CorpusVocabulary,
  embedder: Embedder,
): Promise<SubjectMention[]> {
  return subjectMentions(
    question,
    passages.map((p) => `${p.title}\n${p.text}`),
    embedder,
    vocabulary.common,
  );
}

/** Where a person would look next, by the topic of the closest document. */
const WHERE_TO_LOOK: Record<string, string> = {
  hr: "HR or the employee handbook",
  policies: "the policy's owner (Legal or Customer Operations)",
  pricing: "the sales desk for a quote",
  products: "the product's spec sheet or ACME Support",
  sales: "Sales Operations (the sales data tool answers questions about figures)",
  support: "ACME Support",
  engineering: "the engineering on-call or the developer docs",
};

function why(reason: AbstainReason): string {
  switch (reason.kind) {
    case "nothing_relevant":
      return "nothing in the ACME documents is close to this question";
    case "unknown_terms":
      return `no ACME document mentions ${reason.terms.map((t) => `"${t}"`).join(" or ")}`;
    case "other_subject":
      return `the passages I found are not about ${reason.identifiers.join(" or ")}`;
    case "unmentioned_subject":
      return `the passages I found do not mention ${reason.terms.map((t) => `"${t}"`).join(" or ")}`;
    case "not_in_evidence":
      return "the passages I found do not answer this";
    case "no_figure_for":
      return `the documents I found give no such figure for ${reason.identifiers.join(" or ")}`;
  }
}

/**
 * The abstention the user reads: that the documents do not say, why, what was searched (the
 * closest documents) and where to look instead. Starts with "I don't know" so every reader
 * (people, the eval's abstention check) takes it for what it is.
 */
export function abstentionText(reason: AbstainReason, passages: readonly ScoredChunk[]): string {
  const titles = [...new Set(passages.map((p) => p.title))].slice(0, 3);
  const searched =
    titles.length > 0 && reason.kind !== "nothing_relevant"
      ? ` I searched the knowledge base; the closest documents were ${titles.map((t) => `"${t}"`).join(", ")}.`
      : " I searched the knowledge base and found nothing close.";
  const topic = reason.kind === "nothing_relevant" ? undefined : passages[0]?.topic;
  const where = (topic && WHERE_TO_LOOK[topic]) ?? "ACME Support, or ask about ACME's products, policies, prices or sales";
  return `I don't know: ${why(reason)}.${searched} Try ${where}.`;
}
