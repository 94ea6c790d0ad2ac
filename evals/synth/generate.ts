import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessage, HumanMessage, SystemMessage, type BaseMessage } from "@langchain/core/messages";
import { z } from "zod";
import { AppError } from "../../lib/errors";
import type { Chunk } from "../../lib/vectorstore/types";
import { filterPair, type QaPair, type RejectReason } from "./filters";

/**
 * Asks the chat model for one question a chunk answers, and its short answer, as JSON
 * constrained to `{question, answer}` (a grammar on the local model), then filters the pair.
 */

/** Length caps in the schema bound what the grammar lets the model write (and so its time). */
export const qaPairSchema = z.object({
  question: z.string().min(1).max(200).describe("One question that the passage answers, ending with a question mark"),
  answer: z.string().min(1).max(120).describe("The short answer, copied word for word from the passage"),
});

const SYSTEM = [
  "You write test questions for ACME Corp's knowledge base.",
  "Given a passage, write ONE question that the passage answers, in your own words, as a customer or employee would ask it.",
  "Then give the short answer: a few words (a number, a name, a duration) copied exactly from the passage.",
  "Reply with JSON only.",
].join(" ");

// Two worked examples about made-up products. With one example, SmolLM2-135M wrote that example's
// question back for 8 of 20 chunks; with two different ones, it borrowed a made-up name 2 times
// in 20 (filter rule 7 catches those). Made-up products, so no corpus text is handed over to copy.
const EXAMPLES: readonly { passage: string; reply: QaPair }[] = [
  {
    passage: 'Passage from "Gadget G2 Price List":\nThe Gadget G2 costs $310 per unit. Orders of 10 or more ship free.',
    reply: { question: "What is the unit price of a Gadget G2?", answer: "$310" },
  },
  {
    passage:
      'Passage from "Widget W1 Datasheet":\nThe Widget W1 weighs 2.5 kg and runs for 6 hours on one charge. It ships with a 1-year warranty.',
    reply: { question: "How heavy is the Widget W1?", answer: "2.5 kg" },
  },
];

/** Names that exist only in the examples: a question using one was copied from the prompt (filter rule 7). */
export const EXAMPLE_TERMS = ["gadget", "widget"] as const;

export function buildMessages(chunk: Pick<Chunk, "title" | "text">): BaseMessage[] {
  return [
    new SystemMessage(SYSTEM),
    ...EXAMPLES.flatMap((e) => [new HumanMessage(e.passage), new AIMessage(JSON.stringify(e.reply))]),
    new HumanMessage(`Passage from "${chunk.title}":\n${chunk.text.trim()}`),
  ];
}

/** A pair that passed the filters, with the chunk it was written from. */
export interface SynthCandidate {
  question: string;
  /** The answer as it appears in the chunk. */
  fact: string;
  docId: string;
  chunkId: string;
}

export type ChunkOutcome =
  | { chunkId: string; pair: QaPair; kept: true; candidate: SynthCandidate }
  | { chunkId: string; pair?: QaPair; kept: false; reason: RejectReason; error?: string };

export interface GenerateOptions {
  signal?: AbortSignal;
  /** After each chunk: chunks done, and pairs kept so far. */
  onProgress?: (done: number, kept: number) => void;
}

/** Problems no other chunk would avoid: stop the run rather than reject every chunk the same way. */
function isFatal(error: unknown): boolean {
  return error instanceof AppError && (error.code === "model_missing" || error.code === "aborted" || error.code === "config_invalid");
}

/**
 * One model call per chunk, in order (the local model runs one generation at a time anyway).
 * A failed or malformed reply rejects that chunk as `model_error`; a missing model or an abort
 * ends the run.
 */
export async function generateCandidates(
  model: BaseChatModel,
  chunks: readonly Chunk[],
  options: GenerateOptions = {},
): Promise<ChunkOutcome[]> {
  const structured = model.withStructuredOutput(qaPairSchema, { name: "synthetic_question" });
  const outcomes: ChunkOutcome[] = [];
  let kept = 0;
  for (const chunk of chunks) {
    if (options.signal?.aborted) throw new AppError("aborted", "Synthetic generation was aborted");
    let pair: QaPair;
    try {
      pair = await structured.invoke(buildMessages(chunk), { signal: options.signal });
    } catch (error) {
      if (isFatal(error) || options.signal?.aborted) throw error;
      outcomes.push({
        chunkId: chunk.id,
        kept: false,
        reason: "model_error",
        error: error instanceof Error ? error.message : String(error),
      });
      options.onProgress?.(outcomes.length, kept);
      continue;
    }
    const result = filterPair(pair, chunk.text, { exampleTerms: EXAMPLE_TERMS });
    if (result.ok) {
      kept++;
      const candidate = { question: result.question, fact: result.fact, docId: chunk.docId, chunkId: chunk.id };
      outcomes.push({ chunkId: chunk.id, pair, kept: true, candidate });
    } else {
      outcomes.push({ chunkId: chunk.id, pair, kept: false, reason: result.reason });
    }
    options.onProgress?.(outcomes.length, kept);
  }
  return outcomes;
}
