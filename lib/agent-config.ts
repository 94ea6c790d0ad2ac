import { z } from "zod";
import { onOffSwitch } from "./validation/env-values";
import { parseEnv } from "./validation/parse-env";

/** How the agent decides and answers: switches that trade work per turn for quality or insight. */
export interface AgentConfigSlice {
  /**
   * ANSWER_GUARDS (default on): knowledge-base answers are checked before the user sees them —
   * abstain when the documents cannot answer, replace an answer with unsupported figures or
   * names by the evidence it should have used (agents/answer/answer-guard.ts). Off streams the
   * model's text as it comes, unchecked: for benchmarks, and for a capable model you trust more.
   */
  answerGuards: boolean;
  /**
   * ROUTER_MODEL_VOTE (default off): ask the local chat model for its route when the semantic
   * router is unsure even though its choice carries no weight (agents/graph/route-choice.ts), to
   * record it on the trace for curating disagreements. It costs one model call on every unsure
   * message — about half the CPU time of such a turn with the embedded model.
   */
  routerModelVote: boolean;
}

const agentEnvSchema = z.object({ ANSWER_GUARDS: onOffSwitch("on"), ROUTER_MODEL_VOTE: onOffSwitch("off") });

/** Called by loadConfig only: the environment is read in one place. */
export function agentConfig(env: Record<string, string | undefined>): AgentConfigSlice {
  const [e] = parseEnv(env, agentEnvSchema);
  return { answerGuards: e.ANSWER_GUARDS, routerModelVote: e.ROUTER_MODEL_VOTE };
}
