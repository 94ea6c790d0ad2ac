import fs from "node:fs";
import path from "node:path";
import { AppError } from "@/lib/errors";
import { z } from "zod";
import { writeFileAtomic } from "@/lib/fs/write-file-atomic";
import { routeModule, routeTest, TODO_MARKER, toolNames, type ToolNames } from "./templates";

const REGISTRY = "agents/routes/registry.ts";
const MANUAL_DATASET = "evals/datasets/manual.jsonl";
const CONVERSATIONS = "evals/traffic/conversations.json";
/** The traffic tests ask for at least this many turns per route. */
const TRAFFIC_TURNS = 10;

export interface ScaffoldResult {
  names: ToolNames;
  written: string[];
  changed: string[];
}

/**
 * Adds a tool: its route module and test, one import and one entry in the registry, and
 * placeholder dataset and traffic items marked `TODO(new-tool)`, which tests refuse until a
 * person has written them. Refuses an invalid or existing name and writes nothing then.
 */
export function scaffoldTool(root: string, route: string, now = new Date()): ScaffoldResult {
  if (!/^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/.test(route) || route.length < 3 || route.length > 48) {
    throw new AppError("bad_request", `"${route}" is not a tool name: use snake_case, e.g. shipping_estimate`);
  }
  const names = toolNames(route);
  const modulePath = path.join("agents/routes", `${names.file}.ts`);
  const testPath = path.join("agents/routes", `${names.file}.test.ts`);
  const registry = fs.readFileSync(path.join(root, REGISTRY), "utf8");
  if (registry.includes(`./${names.file}"`) || fs.existsSync(path.join(root, modulePath))) {
    throw new AppError("bad_request", `a route module ${modulePath} already exists`);
  }
  const changes = new Map<string, string>([
    [REGISTRY, registerRoute(registry, names)],
    [MANUAL_DATASET, appendDatasetStub(fs.readFileSync(path.join(root, MANUAL_DATASET), "utf8"), names, now)],
    [CONVERSATIONS, addTrafficStub(fs.readFileSync(path.join(root, CONVERSATIONS), "utf8"), names)],
  ]);
  fs.writeFileSync(path.join(root, modulePath), routeModule(names), { flag: "wx" });
  fs.writeFileSync(path.join(root, testPath), routeTest(names), { flag: "wx" });
  for (const [file, text] of changes) writeFileAtomic(path.join(root, file), text);
  return { names, written: [modulePath, testPath], changed: [...changes.keys()] };
}

/** One import and one entry in ROUTE_DEFINITIONS. */
export function registerRoute(registry: string, n: ToolNames): string {
  const lines = registry.split("\n");
  const lastImport = lines.findLastIndex((line) => line.startsWith("import "));
  lines.splice(lastImport + 1, 0, `import { ${n.camel}Route } from "./${n.file}";`);
  const withImport = lines.join("\n");
  const list = /export const ROUTE_DEFINITIONS = \[([^\]]*)\] as const;/;
  if (!list.test(withImport)) throw new AppError("internal", `${REGISTRY} has no ROUTE_DEFINITIONS list to extend`);
  return withImport.replace(list, (_m, items: string) => `export const ROUTE_DEFINITIONS = [${items.trim()}, ${n.camel}Route] as const;`);
}

/** A ci example for the new route, numbered after the last man-NNN. */
export function appendDatasetStub(jsonl: string, n: ToolNames, now: Date): string {
  const numbers = [...jsonl.matchAll(/"id":"man-(\d+)"/g)].map((m) => Number(m[1]));
  const id = `man-${String(Math.max(0, ...numbers) + 1).padStart(3, "0")}`;
  const stub = {
    id,
    input: { message: `${TODO_MARKER}: a question a user would ask ${n.label}` },
    expected: { route: n.route },
    tags: [n.route, "routing", "ci"],
    source: "manual",
    createdAt: now.toISOString(),
    reviewed: true,
  };
  return `${jsonl.trimEnd()}\n${JSON.stringify(stub)}\n`;
}

// Only what the stub touches; everything else passes through untouched.
const conversationsShape = z.looseObject({ personas: z.array(z.looseObject({ sessions: z.array(z.unknown()) })).min(1) });

/** A session of placeholder turns for the new route, under the first persona. */
export function addTrafficStub(json: string, n: ToolNames): string {
  const conversations = conversationsShape.parse(JSON.parse(json));
  const persona = conversations.personas[0]!;
  persona.sessions.push({
    topic: `${TODO_MARKER}: ${n.label}`,
    turns: Array.from({ length: TRAFFIC_TURNS }, (_, i) => ({
      message: `${TODO_MARKER}: message ${i + 1} for ${n.label}`,
      route: n.route,
    })),
  });
  return `${JSON.stringify(conversations, null, 2)}\n`;
}
