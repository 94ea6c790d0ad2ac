import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describeZodIssues } from "@/lib/validation/zod-issues";
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

/** Parses and validates the text of a conversations file; `file` only names it in errors. */
export function parseConversations(text: string, file: string): Conversations {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConversationsFileError(file, [`not valid JSON: ${(error as Error).message}`]);
  }
  const parsed = conversationsSchema.safeParse(json);
  if (!parsed.success) throw new ConversationsFileError(file, describeZodIssues(parsed.error));
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
