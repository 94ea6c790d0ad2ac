/**
 * `npm run curate`: proposes dataset candidates from logged production traces into the review
 * queue (see evals/curation/curate.ts); a person accepts or rejects them at /review.
 *
 * Exit codes: 0 done (also when nothing was proposed), 2 bad flags or a source that cannot be
 * read (no trace log, Phoenix unreachable, a broken dataset or queue file).
 */
import path from "node:path";
import { loadConfig } from "../lib/config";
import { AppError } from "../lib/errors";
import { PhoenixClient } from "../lib/telemetry/phoenix-client";
import { PhoenixTraceReader } from "../lib/telemetry/phoenix-trace-reader";
import { TraceLogReader, type TraceReader } from "../lib/telemetry/trace-log/trace-reader";
import { openReviewQueue } from "../lib/curation/review-queue-backend";
import { openTraceStoreForCli } from "../lib/telemetry/trace-log/trace-store-backend";
import { phoenixTraceUrl } from "../lib/telemetry/tracing-pipeline";
import { CURATE_USAGE, parseCurateArgs } from "../evals/curation/curate-args";
import { formatCurateReport } from "../evals/curation/curate-report";

async function openReader(
  args: { source: "log" | "phoenix"; traceLog?: string },
  config: ReturnType<typeof loadConfig>,
): Promise<{ reader: TraceReader; close: () => Promise<void>; where: string }> {
  if (args.source === "log") {
    const { store, where, close } = openTraceStoreForCli(config, args.traceLog);
    return { reader: new TraceLogReader(store), close, where };
  }
  const { endpoint, apiKey, projectName } = config.tracing.phoenix;
  const client = new PhoenixClient({ baseUrl: endpoint, apiKey, timeoutMs: 15_000 });
  if (!(await client.health())) {
    throw new AppError(
      "phoenix_unavailable",
      `Phoenix is not reachable at ${endpoint} (PHOENIX_COLLECTOR_ENDPOINT): start it with \`npm run phoenix\`, or curate from the trace log with --source log`,
    );
  }
  return {
    reader: new PhoenixTraceReader(client, projectName),
    close: () => Promise.resolve(),
    where: `${endpoint}, project ${projectName}`,
  };
}

async function main(): Promise<number> {
  const args = parseCurateArgs(process.argv.slice(2));
  if (args.help) {
    console.log(CURATE_USAGE);
    return 0;
  }
  const config = loadConfig();
  const { reader, close, where } = await openReader(args, config);
  try {
    console.log(`Curating ${new Date(args.since).toISOString()} – ${new Date(args.until).toISOString()} from ${where}`);
    // Loaded once the source is known to be readable: the embedding model takes seconds.
    const [{ getEmbedder }, { curate }] = await Promise.all([
      import("../lib/embeddings/transformers-embedder"),
      import("../evals/curation/curate"),
    ]);
    // An explicit --out file wins over DATABASE_URL, as --trace-log does.
    const queuePath = path.resolve(args.out ?? config.curation.reviewQueuePath);
    const report = await curate(
      {
        source: args.source,
        since: args.since,
        until: args.until,
        max: args.max,
        perRoute: args.perRoute,
        scanLimit: args.scan,
        datasetsDir: path.resolve(args.datasets ?? config.curation.datasetsDir),
        queuePath,
        queue: openReviewQueue(args.out === undefined ? config : {}, queuePath),
        dryRun: args.dryRun,
        ...(config.tracing.phoenix.export || args.source === "phoenix"
          ? { traceUrl: (id: string) => phoenixTraceUrl(config.tracing.phoenix.uiUrl, id) }
          : {}),
      },
      { reader, embedder: getEmbedder(config), progress: (line) => console.log(line) },
    );
    console.log(`\n${formatCurateReport(report, { dryRun: args.dryRun })}`);
    return 0;
  } finally {
    await close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof AppError && error.code === "bad_request") console.error(`curate: ${error.message}\n\n${CURATE_USAGE}`);
    else if (error instanceof AppError) console.error(`curate: [${error.code}] ${error.message}`);
    else console.error(`curate: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(2);
  },
);
