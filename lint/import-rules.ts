import type { ImportGraph } from "./import-graph";

/**
 * The dependency rules of the repository (README, "What is here"): dependencies point one way,
 * app/ → agents/ → lib/, evals/ → agents/ and lib/, scripts/ → anything but app/; production
 * code never reaches into test support or the browser tests; tests keep the layering of the
 * code beside them and may add test-support/; and no module imports itself round a cycle.
 */

export type Area = "app" | "agents" | "lib" | "evals" | "scripts" | "data" | "test-support" | "e2e" | "lint" | "root";

/** What each folder's files may import. `root` is the top level: instrumentation.ts (Next's start-up hook) and configs. */
const MAY_IMPORT: Record<Area, readonly Area[]> = {
  lib: ["lib"],
  agents: ["agents", "lib"],
  app: ["app", "agents", "lib"],
  root: ["root", "app", "agents", "lib"],
  evals: ["evals", "agents", "lib"],
  scripts: ["scripts", "evals", "agents", "lib", "data", "root"],
  data: ["data", "lib"],
  "test-support": ["test-support", "evals", "agents", "lib"],
  e2e: ["e2e", "test-support", "evals", "agents", "lib"],
  lint: ["lint"],
};

const TEST_ONLY_AREAS: readonly Area[] = ["test-support", "e2e", "lint"];
/** Top-level files that configure the test runners: test tooling, not production code. */
const TEST_TOOLING = new Set(["vitest.config.ts", "playwright.config.ts"]);

export function areaOf(file: string): Area {
  const [first, ...rest] = file.split("/");
  if (rest.length === 0) return "root";
  if (first && first in MAY_IMPORT) return first as Area;
  throw new Error(`${file}: a source file outside the known folders; add its folder to lint/import-rules.ts`);
}

export function isTestCode(file: string): boolean {
  return /\.(test|spec)\.tsx?$/.test(file) || TEST_ONLY_AREAS.includes(areaOf(file)) || TEST_TOOLING.has(file);
}

const folder = (area: Area) => (area === "root" ? "the top level" : `${area}/`);

function layeringViolation(from: string, to: string): string | undefined {
  const source = areaOf(from);
  const target = areaOf(to);
  const test = isTestCode(from);
  if (!test && TEST_ONLY_AREAS.includes(target)) return `${from} → ${to}: production code never imports ${folder(target)}`;
  const allowed: readonly Area[] = test ? [...MAY_IMPORT[source], "test-support"] : MAY_IMPORT[source];
  if (allowed.includes(target)) return undefined;
  const what = test ? `test code in ${folder(source)}` : folder(source);
  return `${from} → ${to}: ${what} may import only ${allowed.map(folder).join(", ")}`;
}

export function layeringViolations(graph: ImportGraph): string[] {
  const found: string[] = [];
  for (const [from, edges] of graph) {
    for (const { target } of edges) {
      const violation = layeringViolation(from, target);
      if (violation) found.push(violation);
    }
  }
  return found.sort();
}

/** Strongly connected components with more than one file, or a file importing itself (Tarjan's algorithm). */
function cyclicComponents(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const { target } of graph.get(file) ?? []) {
      if (!index.has(target)) {
        connect(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file)!, index.get(target)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    const selfImport = (graph.get(file) ?? []).some((e) => e.target === file);
    if (component.length > 1 || selfImport) components.push(component.sort());
  };
  for (const file of [...graph.keys()].sort()) if (!index.has(file)) connect(file);
  return components;
}

/** The shortest way from `start` back to itself inside one component, for a readable message. */
function shortestCycle(graph: ImportGraph, start: string, members: ReadonlySet<string>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const { target } of graph.get(file) ?? []) {
      if (!members.has(target) || previous.has(target)) continue;
      previous.set(target, file);
      if (target === start) {
        const between: string[] = [];
        for (let at = file; at !== start; at = previous.get(at)!) between.unshift(at);
        return [start, ...between, start];
      }
      queue.push(target);
    }
  }
  return [start];
}

export function importCycles(graph: ImportGraph): string[] {
  return cyclicComponents(graph).map((component) => {
    const cycle = shortestCycle(graph, component[0]!, new Set(component));
    const others = component.length > cycle.length - 1 ? ` (${component.length} files in the cycle group)` : "";
    return `import cycle: ${cycle.join(" → ")}${others}`;
  });
}

export function importRuleViolations(graph: ImportGraph): string[] {
  return [...layeringViolations(graph), ...importCycles(graph)];
}
