import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

/**
 * The repository's import graph, read with the TypeScript compiler API: every static import,
 * re-export and dynamic `import()` of every source file, resolved the way tsc resolves it
 * (tsconfig's `@/…` alias, relative paths, extensionless and `.mjs` specifiers). Packages are
 * left out: the rules that read this graph are about the repository's own folders.
 */

export interface ImportEdge {
  /** Repository-relative path of the imported file, with forward slashes. */
  target: string;
  /** `import type` (or every named binding is a type): erased at compile time. */
  typeOnly: boolean;
}

/** Repository-relative path → what the file imports from the repository. */
export type ImportGraph = Map<string, ImportEdge[]>;

const SKIPPED_DIRS = new Set(["node_modules", "models", "reports", "test-results", "playwright-report"]);
const SOURCE_FILE = /\.(ts|tsx|mts|mjs)$/;

export function listSourceFiles(root: string, dir = root): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || SKIPPED_DIRS.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...listSourceFiles(root, full));
    else if (entry.isFile() && SOURCE_FILE.test(entry.name) && !entry.name.endsWith(".d.ts")) files.push(full);
  }
  return files;
}

interface Specifier {
  text: string;
  typeOnly: boolean;
}

function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return false; // `import "x"`: run for its side effects
  if (clause.isTypeOnly) return true;
  const named = clause.namedBindings;
  return (
    !clause.name &&
    named !== undefined &&
    ts.isNamedImports(named) &&
    named.elements.length > 0 &&
    named.elements.every((e) => e.isTypeOnly)
  );
}

function isTypeOnlyExport(node: ts.ExportDeclaration): boolean {
  if (node.isTypeOnly) return true;
  const clause = node.exportClause;
  return clause !== undefined && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly);
}

/** Module specifiers of one file: static imports, re-exports, `import("…")` calls and `import("…")` types. */
export function moduleSpecifiers(fileName: string, text: string): Specifier[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false);
  const found: Specifier[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ text: node.moduleSpecifier.text, typeOnly: isTypeOnlyImport(node) });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ text: node.moduleSpecifier.text, typeOnly: isTypeOnlyExport(node) });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument && ts.isStringLiteralLike(argument)) found.push({ text: argument.text, typeOnly: false });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push({ text: node.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The compiler options of `root/tsconfig.json`, with JavaScript resolvable so `.mjs` imports resolve too. */
function resolutionOptions(root: string): ts.CompilerOptions {
  const configPath = path.join(root, "tsconfig.json");
  const read = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, "\n"));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, root, undefined, configPath);
  return { ...parsed.options, allowJs: true };
}

const toRepoPath = (root: string, file: string) => path.relative(root, file).split(path.sep).join("/");

export function buildImportGraph(root: string): ImportGraph {
  const options = resolutionOptions(root);
  const cache = ts.createModuleResolutionCache(root, (name) => name, options);
  const graph: ImportGraph = new Map();
  for (const file of listSourceFiles(root)) {
    const edges: ImportEdge[] = [];
    for (const specifier of moduleSpecifiers(file, fs.readFileSync(file, "utf8"))) {
      const resolved = ts.resolveModuleName(specifier.text, file, options, ts.sys, cache).resolvedModule;
      if (!resolved || resolved.isExternalLibraryImport) continue;
      const target = toRepoPath(root, path.resolve(resolved.resolvedFileName));
      if (target.startsWith("..") || target.split("/").includes("node_modules")) continue;
      edges.push({ target, typeOnly: specifier.typeOnly });
    }
    graph.set(toRepoPath(root, file), edges);
  }
  return graph;
}
