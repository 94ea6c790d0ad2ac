import path from "node:path";
import { AppError } from "../errors";
import { ensurePythonVenv, exists, venvBin } from "../process/python-venv";
import { spawnServer } from "../telemetry/server-process";
import { waitForHealth } from "../telemetry/wait-for-health";

/**
 * llama.cpp's OpenAI-compatible server (the `llama_cpp.server` of llama-cpp-python, from
 * `.llama-server/venv`) serving a local GGUF on 127.0.0.1: what a user's Ollama, vLLM or LM
 * Studio is to the app, run here so the OPENAI_BASE_URL path is tested against a real server.
 */

export const LLAMA_SERVER_DIR = ".llama-server";
const REQUIREMENTS = path.join("scripts", "llm-server-requirements.txt");
const START_TIMEOUT_MS = 120_000;

export interface LlamaServerInstallOptions {
  root: string;
  python?: string;
  onProgress?: (message: string) => void;
}

export async function ensureLlamaServerVenv(options: LlamaServerInstallOptions): Promise<string> {
  const venv = await ensurePythonVenv({
    root: options.root,
    venvDir: path.join(LLAMA_SERVER_DIR, "venv"),
    requirementsPath: REQUIREMENTS,
    binary: "python",
    minPython: [3, 9],
    label: "llama.cpp's OpenAI-compatible server (llama-cpp-python)",
    errorCode: "llm_server_install_failed",
    python: options.python,
    onProgress: options.onProgress,
  });
  return venv.binary;
}

export interface LlamaServerOptions {
  root: string;
  /** The GGUF file to serve. */
  modelPath: string;
  /** The name clients use in `model` (and that traces and price tables see). */
  alias: string;
  host: string;
  port: number;
  threads: number;
  contextSize: number;
  /** Also print the server's output. */
  echo?: boolean;
}

export interface RunningLlamaServer {
  /** The OpenAI-compatible base URL, e.g. http://127.0.0.1:8080/v1 (OPENAI_BASE_URL). */
  baseURL: string;
  stop: () => Promise<void>;
}

/** Starts the server and waits until it answers `/v1/models`. */
export async function startLlamaServer(options: LlamaServerOptions): Promise<RunningLlamaServer> {
  const python = venvBin(path.resolve(options.root, LLAMA_SERVER_DIR, "venv"), "python");
  if (!(await exists(python)))
    throw new AppError("llm_server_unavailable", `${python} is missing: run \`npm run llm-server -- --install-only\` first.`);
  if (!(await exists(options.modelPath))) throw new AppError("model_missing", `${options.modelPath} is missing: run \`npm run models\`.`);
  const args = [
    ...["-m", "llama_cpp.server", "--model", options.modelPath, "--model_alias", options.alias],
    ...["--host", options.host, "--port", String(options.port)],
    ...["--n_threads", String(options.threads), "--n_ctx", String(options.contextSize)],
  ];
  const server = spawnServer(python, args, { cwd: options.root, env: process.env, echo: options.echo ?? false });
  const baseURL = `http://${options.host}:${options.port}/v1`;
  try {
    await waitForHealth(server, `${baseURL}/models`, START_TIMEOUT_MS);
  } catch (error) {
    await server.stop();
    throw new AppError("llm_server_unavailable", `llama.cpp's server did not start: ${String(error)}\n${server.outputTail()}`, {
      cause: error,
    });
  }
  return { baseURL, stop: () => server.stop() };
}
