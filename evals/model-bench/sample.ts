import { seededRandom, shuffle } from "../seeded-shuffle";
import type { ChoiceItem } from "./types";

/**
 * Deterministic subsets: the same seed and limit pick the same items on every machine, so two
 * models (or two runs of one) are measured on exactly the same questions.
 */

/** `limit` items of a seeded shuffle; everything (shuffled) without a limit. */
export function sampleItems<T>(items: readonly T[], limit: number | undefined, seed: number): T[] {
  const shuffled = shuffle(items, seed);
  return limit === undefined ? shuffled : shuffled.slice(0, limit);
}

/**
 * MMLU across subjects: subjects in a seeded order, each subject's questions in a seeded order,
 * then one question per subject per round until `limit`. A plain shuffle of 14k questions would
 * over-sample the big subjects (professional law has 1,534, some have 100) and leave small
 * ones out at n = 200; round-robin gives every one of the 57 subjects 3-4 questions.
 */
export function sampleAcrossSubjects(items: readonly ChoiceItem[], limit: number | undefined, seed: number): ChoiceItem[] {
  const bySubject = new Map<string, ChoiceItem[]>();
  for (const item of items) bySubject.set(item.subject, [...(bySubject.get(item.subject) ?? []), item]);
  const subjects = shuffle([...bySubject.keys()].sort(), seed);
  const queues = subjects.map((subject, index) => shuffle(bySubject.get(subject)!, seed + index + 1));
  const total = limit === undefined ? items.length : Math.min(limit, items.length);
  const picked: ChoiceItem[] = [];
  for (let round = 0; picked.length < total; round++) {
    for (const queue of queues) {
      if (picked.length >= total) break;
      const item = queue[round];
      if (item) picked.push(item);
    }
  }
  return picked;
}

/** A stable 32-bit hash of a string (FNV-1a), to give each item its own seed. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * The item with its choices in a seeded order (TruthfulQA lists the true answer first). The
 * order depends on the run seed and the item id only, not on which other items were sampled.
 */
export function shuffleChoices(item: ChoiceItem, seed: number): ChoiceItem {
  const random = seededRandom((seed ^ hashString(item.id)) >>> 0);
  const order = item.choices.map((_, index) => index);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return { ...item, choices: order.map((index) => item.choices[index]!), answer: order.indexOf(item.answer) };
}
