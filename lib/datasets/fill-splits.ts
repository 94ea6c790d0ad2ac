import { isRecord } from "../guards";
import { assignSplit, SPLITS, stratifiedSplit, type Split } from "./split";

/** The stratum a dataset item is balanced within: its expected route. */
export function datasetStratum(item: Record<string, unknown>): string {
  const expected = item.expected;
  return isRecord(expected) && typeof expected.route === "string" ? expected.route : "none";
}

interface Line {
  raw: Record<string, unknown>;
  id: string;
  stratum: string;
  split?: Split;
}

function readLine(line: string): Line | undefined {
  let value: unknown;
  try {
    value = line.trim() ? JSON.parse(line) : undefined;
  } catch {
    return undefined;
  }
  if (!isRecord(value) || typeof value.id !== "string") return undefined;
  const split = SPLITS.find((s) => s === value.split);
  return { raw: value, id: value.id, stratum: datasetStratum(value), ...(split ? { split } : {}) };
}

/**
 * A JSONL dataset with a `split` on every item: items that have one keep it; a file with none
 * is split at once (balanced per stratum); items added to a split file take the smaller side
 * of their stratum. Lines that already have a split, blank lines and unparsable lines are left
 * byte for byte (the loader reports the unparsable ones).
 */
export function fillSplits(jsonl: string): { text: string; assigned: number } {
  const lines = jsonl.split("\n");
  const parsed = lines.map(readLine);
  const items = parsed.filter((item) => item !== undefined);
  const fresh = items.every((item) => !item.split)
    ? stratifiedSplit(
        items,
        (i) => i.id,
        (i) => i.stratum,
      )
    : undefined;
  const byStratum = new Map<string, Split[]>();
  const record = (stratum: string, split: Split) => byStratum.set(stratum, [...(byStratum.get(stratum) ?? []), split]);
  for (const item of items) if (item.split) record(item.stratum, item.split);
  let assigned = 0;
  const out = lines.map((line, i) => {
    const item = parsed[i];
    if (!item || item.split) return line;
    const split = fresh?.get(item.id) ?? assignSplit(item.id, byStratum.get(item.stratum) ?? []);
    record(item.stratum, split);
    assigned++;
    return JSON.stringify({ ...item.raw, split });
  });
  return { text: out.join("\n"), assigned };
}
