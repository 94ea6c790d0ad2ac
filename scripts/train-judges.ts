/**
 * npm run train:judges
 *
 * Trains the learned offline judges on the dev half of their benchmark (BENCH_DATA_DIR; our
 * halves: evals/judges/benchmark-split.ts) and writes their weights, which are committed:
 *   toxicity.learned → evals/judges/weights/toxicity.json: logistic regression over the
 *   all-MiniLM-L6-v2 embedding of the text, trained on the Surge toxicity sample's dev half.
 * Deterministic: the same data gives the same weights (full-batch gradient descent from zero).
 * The decision threshold is 0.5: the classes are weighted to balance, so no tuning is needed.
 */
import fs from "node:fs";
import path from "node:path";
import { getConfig } from "../lib/config";
import { getEmbedder } from "../lib/embeddings/transformers-embedder";
import { writeFileAtomic } from "../lib/fs/write-file-atomic";
import { TOXICITY_CLASSIFIER_FILE } from "../evals/evaluators/toxicity-classifier";
import { BENCHMARK_FILES, benchmarkPath, loadSurgeToxicity } from "../evals/judges/benchmark-data";
import { itemsOfSplit } from "../evals/judges/benchmark-split";
import { classifierText } from "../evals/judges/learned/classifier-file";
import { trainLogisticRegression } from "../evals/judges/learned/logistic-regression";
import { runCli } from "./run-cli";

const SEED = 42;

runCli(async () => {
  const config = getConfig();
  const file = BENCHMARK_FILES.surgeToxicity;
  const dev = itemsOfSplit(loadSurgeToxicity(benchmarkPath(config.benchDataDir, file)), "dev");
  console.log(`toxicity.learned: embedding ${dev.length} dev items of ${file}…`);
  const vectors = await getEmbedder(config).embedDocuments(dev.map((item) => item.response));
  const model = trainLogisticRegression(
    vectors.map((v) => Array.from(v)),
    dev.map((item) => item.label),
  );
  fs.mkdirSync(path.dirname(TOXICITY_CLASSIFIER_FILE), { recursive: true });
  writeFileAtomic(
    TOXICITY_CLASSIFIER_FILE,
    classifierText({
      judge: "toxicity.learned",
      features: "all-MiniLM-L6-v2 embedding of the text (384 dimensions)",
      trainedOn: { task: "toxicity", file, split: "dev", n: dev.length, seed: SEED },
      threshold: 0.5,
      model,
    }),
  );
  console.log(`Wrote ${TOXICITY_CLASSIFIER_FILE}`);
  return 0;
});
