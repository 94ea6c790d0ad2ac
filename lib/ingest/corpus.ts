import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import matter from "gray-matter";
import { z } from "zod";
import { AppError } from "../errors";
import { describeZodIssues } from "../validation/zod-issues";
import { linkSupersession } from "./supersession";

/** YAML turns `2024-05-01` into a Date; keep dates as `YYYY-MM-DD` strings. */
const dateString = z.preprocess(
  (value) => (value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString().slice(0, 10) : value),
  z.string().regex(/^\d{4}-\d{2}-\d{2}/, "must be a date like 2024-05-01"),
);

export const frontmatterSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[^#\s]+$/, "must be non-empty with no spaces or '#'"),
  title: z.string().trim().min(1),
  topic: z.string().trim().min(1),
  updated: dateString,
  /** When the document takes effect; defaults to `updated`. */
  effective: dateString.optional(),
  /** Ids of the documents this one replaces (an older policy or price list). */
  supersedes: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value])),
});

export type Frontmatter = z.infer<typeof frontmatterSchema>;

export interface CorpusDocument extends Omit<Frontmatter, "effective"> {
  /** File name relative to the corpus directory. */
  source: string;
  /** Markdown body after the frontmatter; chunk offsets refer to it. */
  body: string;
  effective: string;
  /** The id of the document that replaces this one, when one does (set by `loadCorpus`). */
  supersededBy?: string;
}

/** Reads and validates `<dir>/*.md`, sorted by file name. Problems → `corpus_invalid`. */
export function loadCorpus(dir: string): CorpusDocument[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new AppError("corpus_invalid", `${dir}: corpus directory not found`);
  }
  const files = fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(".md"))
    .sort();
  const docs: CorpusDocument[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const doc = parseCorpusFile(file, fs.readFileSync(path.join(dir, file), "utf8"));
    const other = seen.get(doc.id);
    if (other) throw new AppError("corpus_invalid", `${file}: duplicate id "${doc.id}" (also in ${other})`);
    seen.set(doc.id, file);
    docs.push(doc);
  }
  return linkSupersession(docs);
}

/** Parses one markdown file with frontmatter `id, title, topic, updated`. */
export function parseCorpusFile(source: string, raw: string): CorpusDocument {
  let parsed: matter.GrayMatterFile<string>;
  try {
    // An empty options object bypasses gray-matter's cache, which would hand back stale data.
    parsed = matter(raw, {});
  } catch (error) {
    throw new AppError("corpus_invalid", `${source}: invalid frontmatter: ${(error as Error).message}`, { cause: error });
  }
  const result = frontmatterSchema.safeParse(parsed.data);
  if (!result.success) {
    const detail = describeZodIssues(result.error).join("; ");
    throw new AppError("corpus_invalid", `${source}: ${detail}`);
  }
  if (parsed.content.trim() === "") throw new AppError("corpus_invalid", `${source}: empty body`);
  const { effective, ...frontmatter } = result.data;
  if (frontmatter.supersedes.includes(frontmatter.id))
    throw new AppError("corpus_invalid", `${source}: a document cannot supersede itself`);
  return { ...frontmatter, effective: effective ?? frontmatter.updated, source, body: parsed.content };
}

/** Content hash of a document plus the settings that shape its chunks and vectors. */
export function documentHash(doc: CorpusDocument, salt: Record<string, unknown>): string {
  // Supersession is in the hash, so a new version arriving re-marks the old document's chunks;
  // fields at their defaults are left out, so documents without them keep their old hashes.
  const { id, title, topic, updated, effective, supersededBy, body } = doc;
  const payload = JSON.stringify({
    id,
    title,
    topic,
    updated,
    ...(effective !== updated ? { effective } : {}),
    ...(supersededBy ? { supersededBy } : {}),
    body,
    salt,
  });
  return crypto.createHash("sha256").update(payload).digest("hex");
}
