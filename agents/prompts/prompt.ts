import { createHash } from "node:crypto";

/**
 * A prompt the agent sends to a chat model, versioned. `version` is the human label, bumped
 * on purpose; `hash` covers every model-visible string of the prompt (instructions, templates,
 * worked examples), so an edit that forgot the bump still shows up as a different id on traces.
 * Comparing traces by prompt version (`npm run compare`, /monitor) groups by `id`.
 */
export interface Prompt {
  name: string;
  version: string;
  /** First 8 hex digits of sha256 over the model-visible content. */
  hash: string;
  /** `<name>@<version>#<hash>`: what traces carry. */
  id: string;
  /** Every model-visible string of the prompt (the leak check reads them). */
  content: readonly string[];
}

export function definePrompt(name: string, version: string, content: readonly string[]): Prompt {
  const hash = createHash("sha256").update(content.join("\u0000")).digest("hex").slice(0, 8);
  return { name, version, hash, id: `${name}@${version}#${hash}`, content };
}

/** One id for a set of prompts (the app's prompt version): changes when any of them changes. */
export function promptSetId(prompts: readonly Prompt[]): string {
  const ids = prompts.map((p) => p.id).sort();
  return createHash("sha256").update(ids.join("\n")).digest("hex").slice(0, 8);
}
