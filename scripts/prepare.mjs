// Plain JavaScript on purpose: this runs on a fresh clone, before `npm ci` has installed
// TypeScript tooling. It brings a checkout to "ready": packages, models, index, build.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");

/** Environment for installs: no CUDA download for onnxruntime, local Node headers when present. */
export function installEnv() {
  const env = { ...process.env };
  env.ONNXRUNTIME_NODE_INSTALL ??= "skip";
  // Debian's nodejs ships the headers node-gyp needs; elsewhere node-gyp downloads them.
  if (!env.npm_config_nodedir && existsSync("/usr/include/node/node.h")) env.npm_config_nodedir = "/usr";
  // isolated-vm (the run_code sandbox) needs this on Node >= 20; harmless elsewhere.
  if (!(env.NODE_OPTIONS ?? "").includes("--no-node-snapshot")) {
    env.NODE_OPTIONS = [env.NODE_OPTIONS, "--no-node-snapshot"].filter(Boolean).join(" ");
  }
  return env;
}

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: installEnv(), ...options });
  if (result.status !== 0) {
    const shown = [command, ...args].join(" ");
    console.error(`\n✖ ${shown} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status || 1);
  }
}

function step(title) {
  console.log(`\n▶ ${title}`);
}

export function ensurePackages() {
  const marker = path.join(root, "node_modules", ".package-lock.json");
  const lock = path.join(root, "package-lock.json");
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  step("Installing npm packages (npm ci)");
  run("npm", ["ci", "--no-audit", "--no-fund"]);
}

export function ensureModels() {
  step("Checking models (npm run models)");
  run("npx", ["tsx", "scripts/models.ts"]);
}

export function ensureIndex() {
  step("Updating the knowledge-base index (npm run ingest)");
  run("npx", ["tsx", "scripts/ingest.ts"]);
}

const SOURCE_DIRS = ["app", "agents", "lib", "public"];
const SOURCE_FILES = ["next.config.ts", "instrumentation.ts", "package-lock.json", "tsconfig.json"];

function newestSourceMtime() {
  let newest = 0;
  const visit = (p) => {
    if (!existsSync(p)) return;
    const stat = statSync(p);
    if (stat.isDirectory()) for (const name of readdirSync(p)) visit(path.join(p, name));
    else if (!p.endsWith(".test.ts")) newest = Math.max(newest, stat.mtimeMs);
  };
  for (const dir of SOURCE_DIRS) visit(path.join(root, dir));
  for (const file of SOURCE_FILES) visit(path.join(root, file));
  return newest;
}

/** Builds the production bundle unless the last build is newer than every source file. */
export function ensureBuild() {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (existsSync(buildId) && statSync(buildId).mtimeMs >= newestSourceMtime()) return;
  step("Building the app (next build)");
  run("npx", ["next", "build"]);
}
