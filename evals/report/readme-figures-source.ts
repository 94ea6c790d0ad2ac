import path from "node:path";
import { loadDataset } from "@/lib/datasets/dataset-example";
import { TRACE_EXPORT_SUFFIX } from "@/lib/curation/trace-export";
import { baselineSchema, readJsonFile, thresholdsSchema } from "../runner/gate";
import { baselineTableBlock, gateConstantsBlock, replaceBlock, type FigureGroup } from "./readme-figures";
import fs from "node:fs";

export interface FigureFiles {
  baseline: string;
  thresholds: string;
  datasets: string;
}

export const DEFAULT_FIGURE_FILES: FigureFiles = {
  baseline: "evals/baseline.json",
  thresholds: "evals/thresholds.json",
  datasets: "evals/datasets",
};

function groups(datasetsDir: string): FigureGroup[] {
  const examples = fs
    .readdirSync(datasetsDir)
    .filter((name) => name.endsWith(".jsonl") && !name.endsWith(TRACE_EXPORT_SUFFIX))
    .flatMap((name) => loadDataset(path.join(datasetsDir, name)));
  const ids = (keep: (tags: readonly string[]) => boolean) => new Set(examples.filter((e) => keep(e.tags)).map((e) => e.id));
  return [
    { title: "full suite (`npm run eval`)", ids: ids(() => true) },
    { title: "CI subset (`npm run eval -- --ci`)", ids: ids((tags) => tags.includes("ci")) },
  ];
}

/** The README with every figures block rendered from the files it describes. */
export function renderReadmeFigures(readme: string, files: FigureFiles = DEFAULT_FIGURE_FILES): string {
  const thresholds = readJsonFile(files.thresholds, thresholdsSchema, "thresholds");
  const baseline = readJsonFile(files.baseline, baselineSchema, "baseline");
  let text = replaceBlock(readme, "gate-constants", gateConstantsBlock(thresholds));
  text = replaceBlock(text, "eval-baseline", baselineTableBlock(baseline, thresholds, groups(files.datasets)));
  return text;
}
