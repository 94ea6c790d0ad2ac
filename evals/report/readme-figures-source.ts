import path from "node:path";
import { loadDataset } from "@/lib/datasets/dataset-example";
import { TRACE_EXPORT_SUFFIX } from "@/lib/curation/trace-export";
import { baselineSchema, readJsonFile, thresholdsSchema } from "../runner/gate";
import { QUALIFICATION_FILE, readQualification } from "../judges/qualification";
import { baselineTableBlock, gateConstantsBlock, judgesTableBlock, replaceBlock, type FigureGroup } from "./readme-figures";
import fs from "node:fs";

export interface FigureFiles {
  baseline: string;
  thresholds: string;
  datasets: string;
  qualification: string;
}

export const DEFAULT_FIGURE_FILES: FigureFiles = {
  baseline: "evals/baseline.json",
  thresholds: "evals/thresholds.json",
  datasets: "evals/datasets",
  qualification: QUALIFICATION_FILE,
};

function groups(datasetsDir: string): FigureGroup[] {
  const examples = fs
    .readdirSync(datasetsDir)
    .filter((name) => name.endsWith(".jsonl") && !name.endsWith(TRACE_EXPORT_SUFFIX))
    .flatMap((name) => loadDataset(path.join(datasetsDir, name)));
  const ids = (keep: (e: (typeof examples)[number]) => boolean) => new Set(examples.filter(keep).map((e) => e.id));
  return [
    { title: "dev", ids: ids((e) => e.split === "dev") },
    { title: "**test** (published)", ids: ids((e) => e.split === "test") },
    { title: "all (`npm run eval`)", ids: ids(() => true) },
    { title: "CI subset (`--ci`)", ids: ids((e) => e.tags.includes("ci")) },
  ];
}

/** The README with every figures block rendered from the files it describes. */
export function renderReadmeFigures(readme: string, files: FigureFiles = DEFAULT_FIGURE_FILES): string {
  const thresholds = readJsonFile(files.thresholds, thresholdsSchema, "thresholds");
  const baseline = readJsonFile(files.baseline, baselineSchema, "baseline");
  let text = replaceBlock(readme, "gate-constants", gateConstantsBlock(thresholds));
  text = replaceBlock(text, "eval-baseline", baselineTableBlock(baseline, thresholds, groups(files.datasets)));
  text = replaceBlock(text, "judges", judgesTableBlock(readQualification(files.qualification), thresholds.judges));
  return text;
}
