import type { CorpusVocabulary } from "@/lib/vectorstore/corpus-vocabulary";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { StructuredToolInterface } from "@langchain/core/tools";
import type { Embedder } from "@/lib/embeddings/types";
import type { ErrorInfo } from "@/lib/errors";
import type { ModelDescription } from "@/lib/llm/provider";
import type { SessionStore } from "@/lib/sessions/session-store";
import type { ChatEvent } from "../contract";
import type { OutOfScope, RouteCandidate, SemanticRouter } from "../router/semantic-router";
import type { RouteName } from "../routes/registry";
import type { ArgumentsSource, ToolOutcome } from "../routes/route";

/** The tools the agent can call, by route name. */
export type AgentTools = Record<RouteName, StructuredToolInterface>;

export interface RunOptions {
  emit?: (event: ChatEvent) => void;
  signal?: AbortSignal;
  /** Recorded as `user.id` on the trace when the app knows who is asking. */
  userId?: string;
  /** Extra trace tags and metadata (the eval runner adds its run id). */
  tags?: string[];
  metadata?: Record<string, string>;
}

export interface AgentDeps {
  chatModel: BaseChatModel;
  /** Scores sentences of retrieved chunks against the question (see ../evidence.ts). */
  embedder: Embedder;
  sessions: SessionStore;
  /** The semantic router (only `route` is used, so tests can stand one in). */
  router: Pick<SemanticRouter, "route">;
  tools: AgentTools;
  /** "openai" routes with native tool calling; "local" and "scripted" with router + JSON-constrained output. */
  provider: "openai" | "local" | "scripted";
  /** Provider and model name, for the trace's tags. */
  model?: ModelDescription;
  /** Reason/act cycles before the agent must answer (default 4). */
  maxSteps?: number;
  /** Per tool call (default 15 s). */
  toolTimeoutMs?: number;
  /** Router confidence at or above which the router decides alone (default 0.9). */
  confidentAt?: number;
  /** How many of the router's top candidates the model chooses among below `confidentAt` (default 2). */
  llmCandidates?: number;
  /**
   * What the model's choice adds to its route's router score when they are fused (default
   * `DEFAULT_LLM_WEIGHT`): the model breaks near ties; it cannot overrule a clear router margin.
   * `Infinity` lets the model decide alone.
   */
  llmWeight?: number;
  /**
   * Ask the model for its route below `confidentAt` even when its weight is 0, to record its
   * choice (ROUTER_MODEL_VOTE; default off: a vote without weight is not worth a model call).
   */
  recordModelVote?: boolean;
  /** How many times the model may retry a tool call after an error it can fix (default 1). */
  maxRepairs?: number;
  /** Check knowledge-base answers before they are shown (ANSWER_GUARDS; default on). */
  answerGuards?: boolean;
  /** The corpus's content words, for abstention (see ../answer/abstention.ts); absent: that signal is off. */
  corpusVocabulary?: () => Promise<CorpusVocabulary>;
}

export interface RoutingDecision {
  route: RouteName;
  reason: string;
  /** The semantic router's softmax confidence in its own top route. */
  confidence: number;
  /** The semantic router's candidates, best first. */
  candidates: RouteCandidate[];
  /** Whether the chat model was asked (structured choice or native tool call). */
  llmConsulted: boolean;
  method: "router" | "router+llm" | "tool_calling";
  /** The route the model chose, when it was asked. */
  llmChoice?: RouteName;
  /** The scores the decision was taken on: router scores plus the model's weight on its choice. */
  fused?: { route: RouteName; score: number }[];
  /** The text the router embedded: the message, the follow-up rewritten into a standalone question, or the previous question + message. */
  routedText: string;
  /** Small talk or off-topic: no tool runs and the reply is assembled in code (see ./scoped-reply.ts). */
  outOfScope?: OutOfScope;
}

export interface ToolCall {
  tool: RouteName;
  args: Record<string, unknown>;
  /** Where the arguments came from. */
  argsFrom: ArgumentsSource;
}

export interface Observation {
  tool: RouteName;
  args: Record<string, unknown>;
  /** The tool's raw output (JSON text) when it returned: what traces and repair prompts show. */
  output?: string;
  /** The output read once by the route (see ../routes/route.ts `readOutput`). */
  outcome?: ToolOutcome;
  error?: ErrorInfo;
  ms: number;
}

export type StopReason = "step_limit" | "repeated_call";
