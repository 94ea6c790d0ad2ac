import fs from "node:fs";
import path from "node:path";
import { AppError } from "@/lib/errors";
import { TRACE_EXPORT_SUFFIX } from "@/lib/curation/trace-export";
import { loadDataset, type DatasetExample } from "@/lib/datasets/dataset-example";

export interface Selection {
  /** Dataset names (file names without `.jsonl`); all when empty. */
  datasets?: string[];
  /** Only examples tagged `ci`: the fixed, fast subset the CI gate runs. */
  ci?: boolean;
  /** A regular expression matched against each example's id and tags. */
  filter?: string;
  /** Only this split: tune on "dev", publish "test" (examples without a split are left out). */
  split?: "dev" | "test";
  /** At most this many examples (after the other filters, in file order). */
  limit?: number;
  /** Synthetic examples nobody has accepted yet are left out unless this is set. */
  includeUnreviewed?: boolean;
}

export interface SelectedExample {
  dataset: string;
  example: DatasetExample;
}

/**
 * The examples a run covers. Every dataset file named (or found) is validated whole before
 * anything runs: one malformed line stops the run with its file and line (DatasetError).
 */
export function selectExamples(dir: string, selection: Selection): SelectedExample[] {
  const available = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        // `<name>.traces.jsonl` is the provenance export beside a dataset, not a dataset.
        .filter((f) => f.endsWith(".jsonl") && !f.endsWith(TRACE_EXPORT_SUFFIX))
        .map((f) => f.slice(0, -".jsonl".length))
        .sort()
    : [];
  const wanted = selection.datasets && selection.datasets.length > 0 ? selection.datasets : available;
  const unknown = wanted.filter((d) => !available.includes(d));
  if (unknown.length > 0) {
    throw new AppError("bad_request", `No dataset ${unknown.join(", ")} in ${dir} (available: ${available.join(", ") || "none"})`);
  }
  let pattern: RegExp | undefined;
  if (selection.filter) {
    try {
      pattern = new RegExp(selection.filter, "i");
    } catch (error) {
      throw new AppError("bad_request", `--filter is not a valid regular expression: ${(error as Error).message}`);
    }
  }
  const loaded = wanted.map((dataset) => ({ dataset, examples: loadDataset(path.join(dir, `${dataset}.jsonl`)) }));
  let selected = loaded.flatMap(({ dataset, examples }) => examples.map((example) => ({ dataset, example })));
  if (!selection.includeUnreviewed) selected = selected.filter((s) => s.example.reviewed);
  if (selection.ci) selected = selected.filter((s) => s.example.tags.includes("ci"));
  if (selection.split) selected = selected.filter((s) => s.example.split === selection.split);
  if (pattern) selected = selected.filter((s) => pattern.test(s.example.id) || s.example.tags.some((t) => pattern.test(t)));
  if (selection.limit !== undefined) selected = selected.slice(0, selection.limit);
  if (selected.length === 0) throw new AppError("bad_request", "No examples match the selection");
  return selected;
}
