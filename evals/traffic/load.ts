import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { z } from "zod";
import { conversationsSchema, type Conversations } from "./schema";

/** The committed conversations `npm run traffic` plays by default. */
export const DEFAULT_CONVERSATIONS_FILE = fileURLToPath(new URL("./conversations.json", import.meta.url));

/** A conversations file that cannot be read, is not JSON, or does not match the schema. */
export class ConversationsFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${displayPath(file)} is not a valid conversations file:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConversationsFileError";
  }
}

function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith("..") ? relative : file;
}

/** `personas[2].sessions[0].turns[1].route` */
function formatPath(issuePath: readonly PropertyKey[]): string {
  return issuePath.reduce<string>(
    (out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    "",
  );
}

function describeIssues(error: z.ZodError, limit = 20): string[] {
  const problems = error.issues.slice(0, limit).map((issue) => `${formatPath(issue.path) || "(top level)"}: ${issue.message}`);
  if (error.issues.length > limit) problems.push(`... and ${error.issues.length - limit} more`);
  return problems;
}

/** Parses and validates the text of a conversations file; `file` only names it in errors. */
export function parseConversations(text: string, file: string): Conversations {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConversationsFileError(file, [`not valid JSON: ${(error as Error).message}`]);
  }
  const parsed = conversationsSchema.safeParse(json);
  if (!parsed.success) throw new ConversationsFileError(file, describeIssues(parsed.error));
  return parsed.data;
}

/** Reads and validates a conversations file (JSON). */
export function loadConversations(file: string = DEFAULT_CONVERSATIONS_FILE): Conversations {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new ConversationsFileError(file, [`cannot be read: ${(error as Error).message}`]);
  }
  return parseConversations(text, file);
}
