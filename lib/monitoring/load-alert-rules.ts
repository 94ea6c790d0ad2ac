import fs from "node:fs";
import path from "node:path";
import { isMap, isNode, isScalar, LineCounter, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import { AppError } from "../errors";
import { formatIssuePath } from "../validation/zod-issues";
import { alertRulesFileSchema, type AlertRule } from "./alert-rules";

/**
 * Reads monitoring/alerts.yaml. A mistake is reported where it is, as editors and CI logs
 * link it: `monitoring/alerts.yaml:12 rule "p95-latency": field condition.alpha: …` (the YAML
 * library's node ranges give the line of the value, or of the nearest enclosing entry when
 * a field is missing). Every problem is listed, each on its own line.
 */

const MAX_PROBLEMS = 10;

type Path = readonly PropertyKey[];

/** The offset of the YAML node at `path`, or of its nearest existing ancestor. */
function offsetOf(doc: Document, path: Path, unknownKey?: string): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const node: unknown = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth) as (string | number)[], true);
    if (!isNode(node)) continue;
    if (depth === path.length && unknownKey !== undefined && isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === unknownKey);
      if (pair && isNode(pair.key) && pair.key.range) return pair.key.range[0];
    }
    if (node.range) return node.range[0];
  }
  return 0;
}

function ruleNameAt(doc: Document, path: Path): string | undefined {
  if (path[0] !== "rules" || typeof path[1] !== "number") return undefined;
  const name: unknown = doc.getIn(["rules", path[1], "name"]);
  return typeof name === "string" ? name : `#${path[1] + 1}`;
}

function describeIssue(doc: Document, lines: LineCounter, file: string, issue: z.core.$ZodIssue): string {
  const unknownKey = issue.code === "unrecognized_keys" ? issue.keys[0] : undefined;
  const issuePath = unknownKey === undefined ? issue.path : [...issue.path, unknownKey];
  const { line } = lines.linePos(offsetOf(doc, issue.path, unknownKey));
  const rule = ruleNameAt(doc, issuePath);
  const inRule = rule === undefined ? issuePath : issuePath.slice(2);
  const field = formatIssuePath(inRule) || "(file)";
  const message = issue.code === "unrecognized_keys" ? "is not a rule field (a typo?)" : issue.message;
  return `${file}:${line}${rule === undefined ? "" : ` rule "${rule}"`}: field ${field}: ${message}`;
}

/** Parses and validates the text of a rules file; `file` names it in errors. */
export function parseAlertRules(text: string, file: string): AlertRule[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const syntax = [...doc.errors, ...doc.warnings].slice(0, MAX_PROBLEMS);
  if (doc.errors.length > 0) {
    const problems = syntax.map((e) => `${file}:${lines.linePos(e.pos[0]).line}: ${e.message.split("\n")[0]}`);
    throw new AppError("config_invalid", `invalid alert rules:\n${problems.join("\n")}`);
  }
  const parsed = alertRulesFileSchema.safeParse(doc.toJS());
  if (parsed.success) return parsed.data.rules;
  const problems = parsed.error.issues.slice(0, MAX_PROBLEMS).map((issue) => describeIssue(doc, lines, file, issue));
  if (parsed.error.issues.length > MAX_PROBLEMS) problems.push(`… and ${parsed.error.issues.length - MAX_PROBLEMS} more`);
  throw new AppError("config_invalid", `invalid alert rules:\n${problems.join("\n")}`);
}

/** Reads and validates the rules file at `file` (shown relative to the working directory in errors). */
export function loadAlertRules(file: string): AlertRule[] {
  const shown = path.relative(process.cwd(), file) || file;
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new AppError(
      "config_invalid",
      `cannot read the alert rules ${shown}: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  }
  return parseAlertRules(text, shown);
}
