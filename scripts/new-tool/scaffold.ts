import fs from "node:fs";
import path from "node:path";
import { AppError } from "@/lib/errors";
import { fillSplits } from "@/lib/datasets/fill-splits";
import { isRecord } from "@/lib/guards";
import { format, resolveConfig } from "prettier";
import { writeFileAtomic } from "@/lib/fs/write-file-atomic";
import { routeModule, routeTest, TODO_MARKER, toolNames, type ToolNames } from "./templates";

const REGISTRY = "agents/routes/registry.ts";
const MANUAL_DATASET = "evals/datasets/manual.jsonl";
const ROUTING_DATASET = "evals/datasets/routing.jsonl";
const CONVERSATIONS = "evals/traffic/conversations.json";
/** The traffic tests ask for at least this many turns per route, the routing set for this many labels. */
const TRAFFIC_TURNS = 10;
const ROUTING_LABELS = 15;

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
export async function scaffoldTool(root: string, route: string, now = new Date()): Promise<ScaffoldResult> {
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
    [REGISTRY, await formatLikeTheRepo(path.join(root, REGISTRY), registerRoute(registry, names))],
    // New items get their dev/test split as any added item does (lib/datasets/split.ts).
    [MANUAL_DATASET, fillSplits(appendDatasetStub(fs.readFileSync(path.join(root, MANUAL_DATASET), "utf8"), names, now)).text],
    [ROUTING_DATASET, fillSplits(appendRoutingStubs(fs.readFileSync(path.join(root, ROUTING_DATASET), "utf8"), names, now)).text],
    // Formatted as Prettier formats the file, so the diff shows only the new session.
    [
      CONVERSATIONS,
      await formatLikeTheRepo(
        path.join(root, CONVERSATIONS),
        addTrafficStub(fs.readFileSync(path.join(root, CONVERSATIONS), "utf8"), names),
      ),
    ],
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
  return withImport.replace(
    list,
    (_m, items: string) => `export const ROUTE_DEFINITIONS = [${items.trim().replace(/,$/, "")}, ${n.camel}Route] as const;`,
  );
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

/** Labels for the routing set (the semantic router's held-out messages), numbered after the last route-NNN. */
export function appendRoutingStubs(jsonl: string, n: ToolNames, now: Date): string {
  const numbers = [...jsonl.matchAll(/"id":"route-(\d+)"/g)].map((m) => Number(m[1]));
  const first = Math.max(0, ...numbers) + 1;
  const lines = Array.from({ length: ROUTING_LABELS }, (_, i) =>
    JSON.stringify({
      id: `route-${String(first + i).padStart(3, "0")}`,
      input: { message: `${TODO_MARKER}: routing message ${i + 1} for ${n.label}` },
      expected: { route: n.route },
      tags: ["routing", n.route],
      source: "manual",
      createdAt: now.toISOString(),
      reviewed: true,
    }),
  );
  return `${jsonl.trimEnd()}\n${lines.join("\n")}\n`;
}

/** A session of placeholder turns for the new route, under the first persona. */
export function addTrafficStub(json: string, n: ToolNames): string {
  // Navigated rather than parsed with a schema, which would reorder the keys of every object.
  const conversations: unknown = JSON.parse(json);
  const personas: unknown = isRecord(conversations) ? conversations.personas : undefined;
  const persona: unknown = Array.isArray(personas) ? personas[0] : undefined;
  const sessions: unknown = isRecord(persona) ? persona.sessions : undefined;
  if (!Array.isArray(sessions)) throw new AppError("internal", `${CONVERSATIONS} has no persona with sessions to add to`);
  sessions.push({
    topic: `${TODO_MARKER}: ${n.label}`,
    turns: Array.from({ length: TRAFFIC_TURNS }, (_, i) => ({
      message: `${TODO_MARKER}: message ${i + 1} for ${n.label}`,
      route: n.route,
    })),
  });
  // Compact: Prettier then lays it out as the file is (it keeps objects expanded that arrive expanded).
  return JSON.stringify(conversations);
}

/** Prettier with the repository's own settings for that file. */
async function formatLikeTheRepo(file: string, text: string): Promise<string> {
  return format(text, { ...(await resolveConfig(file)), filepath: file });
}
