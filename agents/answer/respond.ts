import type { ScoredChunk } from "@/lib/vectorstore/types";
import type { Turn } from "@/lib/sessions/session-store";
import { routeDefinition, type RouteName } from "../routes/registry";
import type { AnswerContext } from "../routes/route";
import type { AgentRun } from "../graph/agent-run";
import type { AgentDeps, Observation, StopReason } from "../graph/types";
import { groundedAnswer } from "./grounded-answer";
import { streamText, type Responder } from "./stream-answer";

export interface RespondInput {
  message: string;
  history: Turn[];
  /** The route the agent took: its tool's last observation is what the answer rests on. */
  route: RouteName;
  observations: Observation[];
  stop?: StopReason;
  passages: ScoredChunk[];
}

/** Tells the user what failed, in words, with the tool's own message (which names the fix when there is one). */
export function failureAnswer(observation: Observation, stop?: StopReason): string {
  const what = routeDefinition(observation.tool).label;
  const detail = observation.error ? observation.error.message : "it returned nothing usable";
  const why =
    stop === "repeated_call"
      ? " I stopped because I was about to repeat the same call."
      : stop === "step_limit"
        ? " I stopped after the maximum number of steps."
        : "";
  return `Sorry, I couldn't answer that: ${what} failed (${observation.error?.code ?? "tool_failed"}: ${detail}).${why}`;
}

/**
 * The final answer, written by the route whose tool the agent ran (see each module in
 * ../routes): the knowledge base from evidence sentences, sales from the rows (checked),
 * calculator and code assembled from the tool's output, a follow-up's question. A failed
 * call is explained; a route that allows it answers from passages searched beside it.
 */
export function respond(input: RespondInput, deps: AgentDeps, run: AgentRun, out: Responder): Promise<string> {
  const context: AnswerContext = {
    message: input.message,
    history: input.history,
    args: {},
    stop: input.stop,
    passages: input.passages,
    chatModel: deps.chatModel,
    out,
    usePrompt: (prompt) => run.usePrompt(prompt),
    answerFromPassages: () =>
      groundedAnswer({
        ...input,
        embedder: deps.embedder,
        chatModel: deps.chatModel,
        out,
        usePrompt: (p) => run.usePrompt(p),
        guards: deps.answerGuards ?? true,
        ...(deps.corpusVocabulary ? { corpusVocabulary: deps.corpusVocabulary } : {}),
        recordCheck: (step) => run.step(step),
      }),
  };
  const main = input.observations.filter((o) => o.tool === input.route).at(-1) ?? input.observations.at(-1);
  if (!main) {
    if (input.passages.length > 0) return context.answerFromPassages();
    return Promise.resolve(streamText("Sorry, I couldn't work out how to answer that.", out));
  }
  if (main.outcome) return main.outcome.answer({ ...context, args: main.args });
  if (routeDefinition(main.tool).answerFromPassagesOnFailure && input.passages.length > 0) return context.answerFromPassages();
  return Promise.resolve(streamText(failureAnswer(main, input.stop), out));
}
