import { ROUTES, isRouteName } from "@/agents/routes/registry";
import type { DatasetExample } from "@/lib/datasets/dataset-example";

/**
 * Referential integrity of the eval datasets, beyond what the zod schema can see: cited
 * documents exist, facts are really in them, tags agree with the fields the evaluators read,
 * and the CI subset still covers every route and eval type. Pure functions returning a list of
 * problems, so the test can show both that the real datasets are clean and that a broken one
 * is caught.
 */

export interface DatasetFile {
  file: string;
  examples: DatasetExample[];
}

/** The tag vocabulary the evaluators key on (besides the route names). A typo would silently skip an evaluator. */
export const EVAL_TAGS = [
  "routing",
  "retrieval",
  "qa",
  "unanswerable",
  "conflict",
  "near-duplicate",
  "toxic-bait",
  "summarization",
  "code",
  "calculation",
  "sales",
  "followup",
  "multi-turn",
  "synthetic",
  "ci",
] as const;

/** What the CI gate's subset must cover: every route, and every eval type. */
export const CI_REQUIRED_TAGS = [
  "retrieval",
  "qa",
  "unanswerable",
  "conflict",
  "toxic-bait",
  "summarization",
  "code",
  "calculation",
  "sales",
  "followup",
  "near-duplicate",
  "routing",
] as const;

/** The CI subset stays small (it gates every change) and light on run_code, the slowest route. */
export const CI_SIZE = { min: 20, max: 40, maxRunCode: 3 } as const;

/**
 * Superseded documents (data/README.md, "Conflicting versions"). A `conflict` example must
 * cite the current version only: citing the old one would reward retrieving the trap.
 */
export const SUPERSEDED_DOC_IDS: ReadonlySet<string> = new Set([
  "returns-policy-2023",
  "price-list-2024",
  "oncall-runbook-2022",
  "api-rate-limits-v1",
  "pto-policy-2023",
]);

export const UNANSWERABLE_ANSWER = "I don't know.";

/**
 * Case-insensitive, ignoring thousands separators ("$12,900" = "$12900"), Markdown emphasis
 * and code marks, and runs of whitespace, so that a fact matches the document however the
 * table or sentence formatted it.
 */
export function normaliseForMatch(text: string): string {
  return text
    .replace(/(?<=\d),(?=\d{3}(?!\d))/g, "")
    .replace(/[*`]/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
}

/** Function names a test calls (`fib(10)`), leaving out `assert` and method calls (`.equal(`). */
export function calledFunctions(test: string): string[] {
  const names = new Set<string>();
  for (const match of test.matchAll(/(?<![.\w$])([A-Za-z_$][\w$]*)\s*\(/g)) {
    const name = match[1]!;
    if (name !== "assert") names.add(name);
  }
  return [...names];
}

/** Whether the statement compiles as JavaScript (it is not run here: the sandbox does that in an eval). */
function compiles(test: string): boolean {
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- compiled to check its syntax, never called
    new Function("assert", test);
    return true;
  } catch {
    return false;
  }
}

/** Facts meant to be quoted from the cited documents: knowledge answers, summaries' key points, synthetic answers. */
function hasLiteralFacts(example: DatasetExample): boolean {
  const tags = example.tags;
  return (
    (example.expected.docIds?.length ?? 0) > 0 && (tags.includes("qa") || tags.includes("summarization") || example.source === "synthetic")
  );
}

function checkExample(example: DatasetExample, corpus: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  const { expected, tags } = example;
  const docIds = expected.docIds ?? [];
  const facts = expected.facts ?? [];
  const tests = expected.tests ?? [];
  const has = (tag: string) => tags.includes(tag);

  for (const docId of docIds) if (!corpus.has(docId)) problems.push(`cites unknown document "${docId}"`);
  if (hasLiteralFacts(example)) {
    const texts = docIds.flatMap((id) => {
      const text = corpus.get(id);
      return text === undefined ? [] : [normaliseForMatch(text)];
    });
    for (const fact of facts) {
      if (!texts.some((text) => text.includes(normaliseForMatch(fact)))) {
        problems.push(`fact "${fact}" is in none of its documents (${docIds.join(", ")})`);
      }
    }
  }

  if (expected.route !== undefined && !isRouteName(expected.route)) {
    problems.push(`expected.route "${expected.route}" is no route of the agent (agents/routes/registry.ts)`);
  }
  for (const tag of tags) {
    if (isRouteName(tag) && expected.route !== tag) problems.push(`tagged "${tag}" but expected.route is ${expected.route ?? "unset"}`);
  }
  if (has("retrieval") && docIds.length === 0) problems.push(`tagged "retrieval" without expected.docIds`);
  if (has("qa") && facts.length === 0) problems.push(`tagged "qa" without expected.facts`);
  if (has("summarization") && (docIds.length === 0 || facts.length === 0)) {
    problems.push(`tagged "summarization" without expected.docIds and key-point facts`);
  }
  if (has("unanswerable")) {
    if (expected.answer !== UNANSWERABLE_ANSWER) problems.push(`tagged "unanswerable" but expected.answer is not "${UNANSWERABLE_ANSWER}"`);
    if (docIds.length > 0 || facts.length > 0) problems.push(`tagged "unanswerable" but cites documents or facts`);
  }
  if (has("conflict")) {
    if (docIds.length === 0) problems.push(`tagged "conflict" without the current document in expected.docIds`);
    for (const id of docIds) if (SUPERSEDED_DOC_IDS.has(id)) problems.push(`tagged "conflict" but cites the superseded "${id}"`);
  }
  if (has("code") && tests.length === 0) problems.push(`tagged "code" without expected.tests`);
  if (has("code") && expected.route !== "run_code") problems.push(`tagged "code" but expected.route is ${expected.route ?? "unset"}`);
  if (has("multi-turn") && (example.input.history?.length ?? 0) === 0) problems.push(`tagged "multi-turn" without input.history`);

  const named = [example.input.message, ...(example.input.history ?? []).map((turn) => turn.content)].join("\n");
  for (const test of tests) {
    if (!compiles(test)) problems.push(`test does not compile: ${test}`);
    for (const fn of calledFunctions(test)) {
      if (!named.includes(fn)) problems.push(`test calls ${fn}(), which the message never names`);
    }
  }

  if (example.source !== "production") {
    const known = new Set<string>([...EVAL_TAGS, ...ROUTES]);
    for (const tag of tags) if (!known.has(tag)) problems.push(`unknown tag "${tag}"`);
  }
  return problems;
}

/** Every problem in the given files, as `"<file> <id>: <problem>"`. `corpus` maps doc id to its text. */
export function checkIntegrity(files: readonly DatasetFile[], corpus: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  const firstSeen = new Map<string, string>();
  for (const { file, examples } of files) {
    for (const example of examples) {
      const where = `${file} ${example.id}`;
      const other = firstSeen.get(example.id);
      if (other !== undefined && other !== file) problems.push(`${where}: id also used in ${other}`);
      firstSeen.set(example.id, other ?? file);
      for (const problem of checkExample(example, corpus)) problems.push(`${where}: ${problem}`);
    }
  }
  return problems;
}

/** Problems with the `ci` subset across all files: size, run_code share, route and eval-type coverage. */
export function checkCiSubset(examples: readonly DatasetExample[]): string[] {
  const ci = examples.filter((e) => e.tags.includes("ci"));
  const problems: string[] = [];
  if (ci.length < CI_SIZE.min || ci.length > CI_SIZE.max) {
    problems.push(`the ci subset has ${ci.length} examples, expected ${CI_SIZE.min} to ${CI_SIZE.max}`);
  }
  const runCode = ci.filter((e) => e.expected.route === "run_code").length;
  if (runCode > CI_SIZE.maxRunCode) problems.push(`the ci subset has ${runCode} run_code examples, at most ${CI_SIZE.maxRunCode}`);
  const routes = new Set(ci.map((e) => e.expected.route));
  for (const route of ROUTES)
    if (!routes.has(route)) problems.push(`the ci subset has no example routed to ${route} (see CONTRIBUTING.md, 'Adding a tool')`);
  const tags = new Set(ci.flatMap((e) => e.tags));
  for (const tag of CI_REQUIRED_TAGS) if (!tags.has(tag)) problems.push(`the ci subset has no "${tag}" example`);
  return problems;
}
