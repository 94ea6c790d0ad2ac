import { createHash } from "node:crypto";

/**
 * Dev/test splits for every labeled set (DESIGN.md, "Datasets"): everything tunable is chosen
 * on `dev`; published figures are `test` figures. An item's split is a stable function of its
 * id, balanced within its stratum (a route, a label), and once written on the item it never
 * changes, so adding items never moves an old one across.
 */
export const SPLITS = ["dev", "test"] as const;
export type Split = (typeof SPLITS)[number];

/** A stable 32-bit hash of an id (the first 8 hex digits of its sha256). */
export function idHash(id: string): number {
  return Number.parseInt(createHash("sha256").update(id).digest("hex").slice(0, 8), 16);
}

/**
 * Splits a whole set at once: within each stratum, items ordered by the hash of their id
 * alternate dev, test, dev…, so every stratum is balanced to within one item. Stable for a
 * given set; for items added later use `assignSplit`.
 */
export function stratifiedSplit<T>(items: readonly T[], idOf: (item: T) => string, stratumOf: (item: T) => string): Map<string, Split> {
  const strata = new Map<string, T[]>();
  for (const item of items) strata.set(stratumOf(item), [...(strata.get(stratumOf(item)) ?? []), item]);
  const splits = new Map<string, Split>();
  for (const members of strata.values()) {
    const ordered = [...members].sort((a, b) => idHash(idOf(a)) - idHash(idOf(b)) || idOf(a).localeCompare(idOf(b)));
    ordered.forEach((item, i) => splits.set(idOf(item), i % 2 === 0 ? "dev" : "test"));
  }
  return splits;
}

/** The split of a new item: the smaller side of its stratum so far; on a tie, the parity of its id's hash. */
export function assignSplit(id: string, stratumSplits: readonly Split[]): Split {
  const dev = stratumSplits.filter((s) => s === "dev").length;
  const test = stratumSplits.length - dev;
  if (dev !== test) return dev < test ? "dev" : "test";
  return idHash(id) % 2 === 0 ? "dev" : "test";
}
