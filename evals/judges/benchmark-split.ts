import { stratifiedSplit, type Split } from "@/lib/datasets/split";
import type { BenchItem } from "./benchmark-data";

/**
 * Our dev/test halves of a benchmark's development file (SOURCES.md keeps the official test
 * parts elsewhere): judges are tuned and trained on `dev`, and qualified on `test`. Items of one
 * group (HaluEval QA's right and hallucinated answer to one question) share a split, so a judge
 * never sees the other half of a pair it is tested on; groups are balanced per label.
 */
export function benchmarkSplit(items: readonly BenchItem[]): Map<string, Split> {
  const groups = new Map<string, BenchItem[]>();
  for (const item of items) groups.set(item.group, [...(groups.get(item.group) ?? []), item]);
  const labelOf = (members: readonly BenchItem[]) =>
    members.every((m) => m.label) ? "positive" : members.every((m) => !m.label) ? "negative" : "mixed";
  const byGroup = stratifiedSplit(
    [...groups.entries()],
    ([group]) => group,
    ([, members]) => labelOf(members),
  );
  return new Map(items.map((item) => [item.id, byGroup.get(item.group) ?? "dev"]));
}

export function itemsOfSplit(items: readonly BenchItem[], split: Split): BenchItem[] {
  const splits = benchmarkSplit(items);
  return items.filter((item) => splits.get(item.id) === split);
}
