/**
 * `npm run ingest`: chunk, embed and index `data/corpus/` into the on-disk HNSW index, or into
 * PostgreSQL (pgvector) when DATABASE_URL is set. Incremental: only new or changed documents
 * are embedded.
 */
import cliProgress from "cli-progress";
import { loadConfig } from "../lib/config";
import { toAppError } from "../lib/errors";
import { getEmbedder } from "../lib/embeddings/transformers-embedder";
import { formatIngestSummary, ingestCorpus, type IngestOptions } from "../lib/ingest/ingest";
import { ingestCorpusToPostgres } from "../lib/ingest/pg-ingest";
import { closePools, getPool } from "../lib/postgres/pool";

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
    const common: Omit<IngestOptions, "indexDir"> = {
      corpusDir: config.corpusDir,
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
    };
    const { database } = config;
    const summary = database
      ? await ingestCorpusToPostgres({ ...common, pool: getPool(database) })
      : await ingestCorpus({ ...common, indexDir: config.indexDir });
    if (barStarted) bar.stop();
    console.log(formatIngestSummary(summary));
    console.log(database ? `Index: PostgreSQL (pgvector), ${redactPassword(database.url)}` : `Index: ${config.indexDir}`);
  } catch (error) {
    if (barStarted) bar.stop();
    const appError = toAppError(error);
    console.error(`ingest failed [${appError.code}]: ${appError.message}`);
    process.exitCode = 1;
  } finally {
    await closePools();
  }
}

function redactPassword(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}

await main();
