/**
 * `npm run ingest`: chunk, embed and index `data/corpus/` into the on-disk HNSW index.
 * Incremental: only new or changed documents are embedded.
 */
import cliProgress from "cli-progress";
import { loadConfig } from "../lib/config";
import { toAppError } from "../lib/errors";
import { getEmbedder } from "../lib/embeddings/transformers-embedder";
import { formatIngestSummary, ingestCorpus } from "../lib/ingest/ingest";

async function main(): Promise<void> {
  const config = loadConfig();
  const embedder = getEmbedder(config);
  const bar = new cliProgress.SingleBar(
    {
      format: "Embedding chunks [{bar}] {value}/{total} | {eta_formatted} left",
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 5000,
    },
    cliProgress.Presets.shades_classic,
  );
  let barStarted = false;
  try {
    const summary = await ingestCorpus({
      corpusDir: config.corpusDir,
      indexDir: config.indexDir,
      chunking: config.chunking,
      embedder,
      batchSize: config.embedBatchSize,
      onPlan: (plan) => {
        console.log(
          `Corpus ${config.corpusDir}: ${plan.documents} documents (${plan.added.length} new, ${plan.updated.length} changed, ` +
            `${plan.removed.length} removed, ${plan.unchanged.length} unchanged)${plan.rebuild ? "; building a new index" : ""}`,
        );
        if (plan.chunksToEmbed > 0) {
          embedder.assertModelPresent();
          bar.start(plan.chunksToEmbed, 0);
          barStarted = true;
        }
      },
      onProgress: (done) => bar.update(done),
    });
    if (barStarted) bar.stop();
    console.log(formatIngestSummary(summary));
    console.log(`Index: ${config.indexDir}`);
  } catch (error) {
    if (barStarted) bar.stop();
    const appError = toAppError(error);
    console.error(`ingest failed [${appError.code}]: ${appError.message}`);
    process.exitCode = 1;
  }
}

await main();
