import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { z } from "zod";
import type { DatasetExample } from "@/lib/datasets/dataset-example";

/**
 * Eval content must never reach the model through the app: a dataset message (or a near copy)
 * as a router example, a few-shot or a tool description makes the eval measure memory, not
 * the agent. This finds (1) dataset messages and history turns whose words overlap a
 * model-visible string or a code string literal of four or more words by token Jaccard ≥ 0.8,
 * and (2) expected facts and figures of test-split items that appear in a model-visible string.
 */

export const JACCARD_LIMIT = 0.8;

export interface VisibleText {
  /** Where the string is: "route calculator: example 3", "prompt grounded-answer", "lib/x.ts:12". */
  where: string;
  text: string;
}

export interface Leak {
  item: string;
  where: string;
  why: string;
}

const words = (text: string): Set<string> =>
  new Set(
    text
      .toLowerCase()
      .replace(/(\d),(?=\d{3})/g, "$1")
      .match(/[a-z0-9]+(?:\.\d+)?/g) ?? [],
  );

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared / (a.size + b.size - shared);
}

/**
 * The texts of an item a model must not have seen: its message and the user's turns of its
 * history (the assistant's turns are the app's own earlier output, e.g. its clarifying question).
 */
function itemTexts(item: DatasetExample): string[] {
  return [item.input.message, ...(item.input.history ?? []).filter((turn) => turn.role === "user").map((turn) => turn.content)];
}

/**
 * Near copies of dataset text among model-visible strings and long code literals: a string
 * whose words mostly match (Jaccard), or one that quotes the text of three or more words whole
 * (an "e.g. '…'" inside a tool description).
 */
export function findNearCopies(items: readonly DatasetExample[], visible: readonly VisibleText[]): Leak[] {
  const candidates = visible.map((v) => ({ ...v, words: words(v.text) })).filter((v) => v.words.size > 0);
  const leaks: Leak[] = [];
  for (const item of items) {
    for (const text of itemTexts(item)) {
      const own = words(text);
      if (own.size === 0) continue;
      const quotable = text.trim().split(/\s+/).length >= 3 ? normalised(text) : undefined;
      for (const v of candidates) {
        const score = jaccard(own, v.words);
        if (score >= JACCARD_LIMIT)
          leaks.push({ item: item.id, where: v.where, why: `"${text}" ~ "${v.text}" (Jaccard ${score.toFixed(2)})` });
        else if (quotable && normalised(v.text).includes(quotable))
          leaks.push({ item: item.id, where: v.where, why: `"${v.text}" quotes "${text}"` });
      }
    }
  }
  return leaks;
}

/** A fact worth guarding: a figure (three or more digits) or a phrase of two or more words. */
function isSpecific(fact: string): boolean {
  return (fact.replace(/\D/g, "").length >= 3 && /\d/.test(fact)) || fact.trim().split(/\s+/).length >= 2;
}

const normalised = (text: string) =>
  ` ${text
    .toLowerCase()
    .replace(/(\d),(?=\d{3})/g, "$1")
    .replace(/[^a-z0-9.%$]+/g, " ")
    .trim()} `;

/**
 * Expected facts and figures of test items that a model-visible string states. `vocabulary`
 * holds the domain's names (regions, products, channels…) that tools must list as allowed
 * values: a fact that is such a name is not answer content.
 */
export function findFactLeaks(
  items: readonly DatasetExample[],
  visible: readonly VisibleText[],
  vocabulary: readonly string[] = [],
): Leak[] {
  const names = new Set(vocabulary.map(normalised));
  const texts = visible.map((v) => ({ ...v, norm: normalised(v.text) }));
  const leaks: Leak[] = [];
  for (const item of items.filter((i) => i.split === "test")) {
    for (const fact of (item.expected.facts ?? []).filter((f) => isSpecific(f) && !names.has(normalised(f)))) {
      const needle = normalised(fact);
      for (const v of texts)
        if (v.norm.includes(needle)) leaks.push({ item: item.id, where: v.where, why: `states the expected "${fact}"` });
    }
  }
  return leaks;
}

const SKIP = /(^|\/)(node_modules|test-support|e2e|lint|\.next|models|reports)(\/|$)|\.test\.tsx?$|\.d\.ts$/;

/** Every string literal (and template text) of four or more words in the non-test code under `dirs`. */
export function codeStringLiterals(root: string, dirs: readonly string[]): VisibleText[] {
  const found: VisibleText[] = [];
  const visit = (file: string, node: ts.Node, source: ts.SourceFile) => {
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      if (node.text.trim().split(/\s+/).length >= 4) {
        const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
        found.push({ where: `${file}:${line}`, text: node.text });
      }
    }
    ts.forEachChild(node, (child) => visit(file, child, source));
  };
  for (const dir of dirs) {
    for (const entry of fs.readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })) {
      const full = path.join(entry.parentPath, entry.name);
      const file = path.relative(root, full).split(path.sep).join("/");
      if (!entry.isFile() || !/\.(ts|tsx|mjs)$/.test(entry.name) || SKIP.test(file)) continue;
      const source = ts.createSourceFile(file, fs.readFileSync(full, "utf8"), ts.ScriptTarget.Latest, true);
      visit(file, source, source);
    }
  }
  return found;
}

/** JSON-schema descriptions a model reads with a tool (`describe()` texts and enum values). */
export function schemaTexts(where: string, schema: unknown): VisibleText[] {
  const texts: VisibleText[] = [];
  const walk = (value: unknown) => {
    if (typeof value === "string") texts.push({ where, text: value });
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === "object") Object.values(value).forEach(walk);
  };
  walk(schema instanceof z.ZodType ? z.toJSONSchema(schema) : schema);
  return texts;
}
