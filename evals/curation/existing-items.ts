import fs from "node:fs";
import path from "node:path";
import { loadDataset } from "@/lib/datasets/dataset-example";

/**
 * What the datasets already hold, as curation needs it: every example's message (novelty and
 * near-duplicates are judged against them) and the traces production.jsonl was made from (never
 * proposed twice). A missing file is an empty dataset; a broken one stops curation (DatasetError).
 */
export const CURATION_DATASETS = ["manual", "routing", "production", "synthetic"] as const;

export interface ExistingItems {
  messages: { id: string; dataset: string; message: string }[];
  productionTraceIds: Set<string>;
}

export function loadExistingItems(datasetsDir: string): ExistingItems {
  const messages: ExistingItems["messages"] = [];
  const productionTraceIds = new Set<string>();
  for (const dataset of CURATION_DATASETS) {
    const file = path.join(datasetsDir, `${dataset}.jsonl`);
    if (!fs.existsSync(file)) continue;
    for (const example of loadDataset(file)) {
      messages.push({ id: example.id, dataset, message: example.input.message });
      if (example.traceId) productionTraceIds.add(example.traceId);
    }
  }
  return { messages, productionTraceIds };
}
