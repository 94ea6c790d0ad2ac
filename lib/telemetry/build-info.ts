import { readFileSync } from "node:fs";
import path from "node:path";

export interface BuildInfo {
  appVersion: string;
  /** Short commit id, or "unknown" outside a git checkout. */
  gitSha: string;
}

let cached: BuildInfo | undefined;

/**
 * Version and commit for trace tags: `APP_VERSION`/`GIT_SHA` when the deploy sets them (a
 * container has no .git), else package.json and .git read from disk (no `git` binary needed).
 */
export function buildInfo(overrides: { appVersion?: string; gitSha?: string } = {}, root = process.cwd()): BuildInfo {
  if (!overrides.appVersion && !overrides.gitSha && cached) return cached;
  const info = {
    appVersion: overrides.appVersion ?? packageVersion(root),
    gitSha: overrides.gitSha ?? gitHead(root) ?? "unknown",
  };
  if (!overrides.appVersion && !overrides.gitSha) cached = info;
  return info;
}

function packageVersion(root: string): string {
  try {
    const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { version?: unknown };
    return typeof pkg.version === "string" ? pkg.version : "0.0.0";
  } catch {
    return "0.0.0";
  }
}

function gitHead(root: string): string | undefined {
  try {
    const head = readFileSync(path.join(root, ".git", "HEAD"), "utf8").trim();
    if (!head.startsWith("ref: ")) return head.slice(0, 12);
    const ref = head.slice(5);
    try {
      return readFileSync(path.join(root, ".git", ref), "utf8")
        .trim()
        .slice(0, 12);
    } catch {
      const packed = readFileSync(path.join(root, ".git", "packed-refs"), "utf8");
      const line = packed.split("\n").find((l) => l.endsWith(` ${ref}`));
      return line?.split(" ")[0]?.slice(0, 12);
    }
  } catch {
    return undefined;
  }
}
