/**
 * npm run llm-server [-- --install-only] [--port 8080] [--host 127.0.0.1]
 *
 * llama.cpp's OpenAI-compatible server serving the local chat model (LOCAL_CHAT_MODEL, or
 * LOCAL_MODEL_PATH) from `.llama-server/venv` (built on first use from
 * scripts/llm-server-requirements.txt). Once it answers it prints
 *   OPENAI_BASE_URL=http://127.0.0.1:8080/v1
 * Point the app (OPENAI_BASE_URL) or the eval judge (EVAL_JUDGE_PROVIDER=openai,
 * EVAL_JUDGE_BASE_URL) at it: the same code path as Ollama, vLLM or LM Studio. Ctrl-C stops it.
 */
import { z } from "zod";
import { parseFlags } from "../lib/cli/parse-flags";
import { getConfig } from "../lib/config";
import { describeModel, localModelPath } from "../lib/llm/provider";
import { ensureLlamaServerVenv, startLlamaServer } from "../lib/llm/llama-server";
import { resolveThreads } from "../lib/llm/local-runtime";
import { runCli } from "./run-cli";

const flagsSchema = z.object({
  "install-only": z.boolean().default(false),
  port: z.coerce.number().int().min(1).max(65_535).default(8080),
  host: z.string().default("127.0.0.1"),
});

runCli(async () => {
  const flags = parseFlags(process.argv.slice(2), flagsSchema, {
    booleans: ["install-only"],
    usageHint: "see the header of scripts/llm-server.ts",
  });
  const root = process.cwd();
  const config = getConfig();
  await ensureLlamaServerVenv({ root, onProgress: (line) => console.log(`  ${line}`) });
  if (flags["install-only"]) {
    console.log("llama.cpp's server is installed in .llama-server/venv");
    return 0;
  }
  const llm = { ...config.llm, provider: "local" as const };
  const server = await startLlamaServer({
    root,
    modelPath: localModelPath(llm, config.models.dir),
    alias: describeModel(llm).modelName,
    host: flags.host,
    port: flags.port,
    threads: resolveThreads(config.llm.local.threads),
    contextSize: config.llm.local.contextSize,
    echo: true,
  });
  console.log(`OPENAI_BASE_URL=${server.baseURL}`);
  await new Promise<void>((resolve) => process.once("SIGINT", () => resolve()));
  await server.stop();
  return 0;
});
