import crypto from "node:crypto";
import fs from "node:fs";
import { parseDataset, type DatasetExample } from "@/lib/datasets/dataset-example";
import { writeFileAtomic } from "@/lib/fs/write-file-atomic";
import type { SynthCandidate } from "./generate";

/**
 * Appends synthetic examples to a JSONL dataset: unreviewed, the chunk's document as the
 * expected source (known by construction), duplicates of existing questions skipped. Existing
 * lines are kept byte for byte (a reviewer may have edited them) and the new file replaces the
 * old one atomically, so an interrupted run never leaves a half-written dataset.
 */

export const SYNTHETIC_TAGS = ["synthetic", "knowledge_base_search", "retrieval"] as const;

/** What makes two questions the same: case, spacing and the question mark do not count. */
export function questionKey(question: string): string {
  return question
    .trim()
    .toLowerCase()
    .replace(/\s+/g, " ")
    .replace(/[\s?]+$/, "");
}

/** `syn-` and 12 hex digits of the question key's SHA-256: stable across runs and machines. */
export function syntheticId(question: string): string {
  return `syn-${crypto.createHash("sha256").update(questionKey(question)).digest("hex").slice(0, 12)}`;
}

export function toExample(candidate: SynthCandidate, createdAt: Date): DatasetExample {
  return {
    id: syntheticId(candidate.question),
    input: { message: candidate.question },
    expected: { facts: [candidate.fact], docIds: [candidate.docId], route: "knowledge_base_search" },
    tags: [...SYNTHETIC_TAGS],
    source: "synthetic",
    createdAt: createdAt.toISOString(),
    reviewed: false,
  };
}

export interface AppendResult {
  added: DatasetExample[];
  /** Candidates whose question was already in the file, or earlier in this batch. */
  duplicates: SynthCandidate[];
  /** Examples in the file afterwards. */
  total: number;
}

/**
 * Appends the candidates not already present. Refuses (throws `DatasetError`) when the existing
 * file is invalid, leaving it untouched. Writes nothing when there is nothing new.
 */
export function appendSynthetic(file: string, candidates: readonly SynthCandidate[], createdAt = new Date()): AppendResult {
  const existingText = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  const existing = existingText.trim() === "" ? [] : parseDataset(existingText, file);
  const seen = new Set(existing.map((e) => questionKey(e.input.message)));
  const ids = new Set(existing.map((e) => e.id));
  const added: DatasetExample[] = [];
  const duplicates: SynthCandidate[] = [];
  for (const candidate of candidates) {
    const example = toExample(candidate, createdAt);
    const key = questionKey(candidate.question);
    if (seen.has(key) || ids.has(example.id)) {
      duplicates.push(candidate);
      continue;
    }
    seen.add(key);
    ids.add(example.id);
    added.push(example);
  }
  if (added.length === 0) return { added, duplicates, total: existing.length };
  const prefix = existingText.trim() === "" ? "" : existingText.endsWith("\n") ? existingText : `${existingText}\n`;
  const text = prefix + added.map((e) => JSON.stringify(e)).join("\n") + "\n";
  // Validate the whole new file before it replaces the old one: never write what loadDataset would reject.
  const total = parseDataset(text, file).length;
  writeFileAtomic(file, text);
  return { added, duplicates, total };
}
