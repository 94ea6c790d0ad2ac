/**
 * What an answer may rightly draw on: the retrieved chunks (title and text), what the tools
 * returned without error (a sales query's figures, a calculator's result) and the user's own
 * message. The claim check scores an answer against these, in the eval
 * (evals/evaluators/claim-check.ts) and online (agents/online-eval.ts): one list, so both say
 * the same of an answer.
 */
export interface GroundingInputs {
  /** The user's message the answer replies to. */
  message: string;
  /** The chunks the agent retrieved, best first. */
  sources: readonly { title: string; text: string }[];
  /** The tool calls' results in order; a call that failed (`error` set) or has no output is left out. */
  toolOutputs: readonly { output?: string; error?: unknown }[];
}

export function groundingSources({ message, sources, toolOutputs }: GroundingInputs): string[] {
  return [
    ...sources.map((s) => `${s.title}\n${s.text}`),
    ...toolOutputs.flatMap((t) => (t.output !== undefined && !t.error ? [t.output] : [])),
    message,
  ];
}
