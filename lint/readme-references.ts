import fs from "node:fs";
import path from "node:path";

/**
 * What the README promises about the repository, checked against it: every `npm run <name>`
 * (and `npm test` / `npm start`) is a script in package.json, and every repository path it
 * quotes in backticks or links to exists. A path counts as the repository's when its first
 * folder is one of the repository's own top-level folders (so `api/chat`, relative to a row
 * about app/, is not mistaken for one); generated folders (.gitignore'd: reports/, .data/, …)
 * and paths with placeholders (`<run-id>`, `*`, `…`) are not checked.
 */

export interface StaleReference {
  /** e.g. `README.md:42`. */
  where: string;
  problem: string;
}

const NPM_COMMAND = /\bnpm (?:run(?:-script)? ([\w:.-]+)|(test|start|stop|restart)\b)/g;
const FENCED_BLOCK = /^ {0,3}```[^\n]*\n[\s\S]*?^ {0,3}```/gm;
/** A run of backticks, then anything up to a run of the same length (CommonMark code spans). */
const CODE_SPAN = /(?<!`)(`+)(?!`)([\s\S]+?)(?<!`)\1(?!`)/g;
const LINK_TARGET = /\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g;
const PLACEHOLDER = /[<>*{}$…|]/;

const lineOf = (text: string, index: number) => text.slice(0, index).split("\n").length;

/** Blanks out fenced code blocks, keeping line numbers, so prose paths are read from prose only. */
const withoutFencedBlocks = (text: string) => text.replace(FENCED_BLOCK, (block) => block.replace(/[^\n]/g, " "));

export function npmScriptReferences(text: string, scripts: ReadonlySet<string>): Array<{ line: number; problem: string }> {
  const stale: Array<{ line: number; problem: string }> = [];
  for (const match of text.matchAll(NPM_COMMAND)) {
    const name = match[1] ?? match[2]!;
    if (!scripts.has(name))
      stale.push({ line: lineOf(text, match.index), problem: `\`${match[0]}\`: no "${name}" script in package.json` });
  }
  return stale;
}

/** Top-level folders a quoted path may start with: the repository's own, not generated or ignored ones. */
export function repositoryFolders(root: string): Set<string> {
  const ignoreFile = path.join(root, ".gitignore");
  const ignored = new Set(
    (fs.existsSync(ignoreFile) ? fs.readFileSync(ignoreFile, "utf8") : "")
      .split("\n")
      .map((line) => line.trim().replace(/^\//, "").replace(/\/$/, ""))
      .filter((line) => line && !line.startsWith("#")),
  );
  return new Set(
    fs
      .readdirSync(root, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== ".git" && !ignored.has(entry.name))
      .map((entry) => entry.name),
  );
}

/** Repository paths quoted in inline code or linked to, with their line; placeholders and URLs left out. */
export function quotedPaths(markdown: string): Array<{ line: number; path: string; link: boolean }> {
  const prose = withoutFencedBlocks(markdown);
  const found: Array<{ line: number; path: string; link: boolean }> = [];
  for (const match of prose.matchAll(CODE_SPAN)) {
    for (const word of match[2]!.split(/\s+/)) {
      const candidate = word.replace(/^["'(]+|["'),;:.]+$/g, "").replace(/:\d+(-\d+)?$/, "");
      if (candidate.includes("/") && !PLACEHOLDER.test(candidate) && !/^[a-z]+:\/\//.test(candidate)) {
        found.push({ line: lineOf(prose, match.index), path: candidate, link: false });
      }
    }
  }
  for (const match of prose.matchAll(LINK_TARGET)) {
    const target = match[1]!.split("#")[0]!;
    if (target && !/^[a-z]+:/i.test(target) && !PLACEHOLDER.test(target))
      found.push({ line: lineOf(prose, match.index), path: target, link: true });
  }
  return found;
}

export function staleReferences(root: string, markdownFile: string): StaleReference[] {
  const text = fs.readFileSync(path.join(root, markdownFile), "utf8");
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { scripts?: Record<string, string> };
  const scripts = new Set(Object.keys(pkg.scripts ?? {}));
  const folders = repositoryFolders(root);
  const stale = npmScriptReferences(text, scripts).map((s) => ({ where: `${markdownFile}:${s.line}`, problem: s.problem }));
  for (const quoted of quotedPaths(text)) {
    // Links resolve from the Markdown file's folder; quoted paths are written from the repository root.
    const fromRoot = quoted.link ? path.posix.join(path.posix.dirname(markdownFile), quoted.path) : quoted.path.replace(/^\.\//, "");
    if (!quoted.link && !folders.has(fromRoot.split("/")[0]!)) continue;
    if (!fs.existsSync(path.join(root, fromRoot)))
      stale.push({ where: `${markdownFile}:${quoted.line}`, problem: `${quoted.path} does not exist` });
  }
  return stale;
}
