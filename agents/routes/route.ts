import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { StructuredToolInterface } from "@langchain/core/tools";
import type { z } from "zod";
import type { Turn } from "@/lib/sessions/session-store";
import type { Retriever, ScoredChunk } from "@/lib/vectorstore/types";
import type { Responder } from "../answer/stream-answer";
import type { Prompt } from "../prompts/prompt";

/**
 * What a route is: everything the agent needs to know about one tool, in one module. The
 * registry (./registry.ts) lists the modules; route names, the router's examples, the tools
 * bound for native tool calling and every per-route table are derived from it.
 *
 * Route types mention other routes only by name (`string`): the registry derives the
 * `RouteName` union from these modules, so they cannot refer back to it.
 */
export interface RouteDefinition<Name extends string = string> {
  name: Name;
  /** How answers and errors name the tool: "the calculator". */
  label: string;
  /** One line for the router's model choice and for people reading the code. */
  description: string;
  /**
   * Utterances the semantic router compares a message with (20–50 that straddle the
   * boundaries with neighbouring routes). Never copy eval dataset messages here.
   */
  examples: readonly string[];
  /** The example shown to the chat model when it chooses among routes (default: the first). */
  choiceExample?: string;
  /** The LangChain tool the route runs. */
  createTool(resources: ToolResources): StructuredToolInterface;
  /**
   * The arguments of the call. Default: the model fills `modelArguments` (or, without it, the
   * tool's own zod schema) under a JSON-schema grammar.
   */
  planArguments?(input: PlanInput): Promise<PlannedCall> | PlannedCall;
  /** How the model fills (and after a fixable error, repairs) the arguments. */
  modelArguments?: ModelArguments;
  /** Calls planned beside the main one (a sales total also cites the quarterly report). */
  companions?(main: PlannedCall, input: PlanInput): PlannedCall[];
  /** Reads the tool's output once into what the agent uses (default: text or JSON shown as is). */
  readOutput?(output: string, args: Record<string, unknown>): ToolOutcome;
  /** When the call failed but the knowledge base, searched beside it, returned passages: answer from them. */
  answerFromPassagesOnFailure?: boolean;
}

export interface ToolResources {
  retriever: Retriever;
  /** Chunks per knowledge base search. */
  k: number;
  /** Where the sales CSVs are. */
  salesDir: string;
}

export type ArgumentsSource = "rule" | "model" | "rule+model" | "tool_calling" | "default";

export interface PlannedCall {
  tool: string;
  args: Record<string, unknown>;
  /** Where the arguments came from. */
  argsFrom: ArgumentsSource;
}

/** What a route's planning sees: the turn, and the model for what rules cannot read. */
export interface PlanInput {
  message: string;
  history: Turn[];
  /** The message leans on the previous turn ("and Q2?"). */
  followUp: boolean;
  /** The router's candidates, best first. */
  candidates: readonly { route: string; score: number }[];
  chatModel: BaseChatModel;
  signal?: AbortSignal;
  /** Records a prompt sent to the model, so the trace carries its version. */
  usePrompt: (prompt: Prompt) => void;
}

export interface ModelArguments<T extends Record<string, unknown> = Record<string, unknown>> {
  schema: z.ZodType<T>;
  /** One or two worked examples: [message, arguments]. */
  shots: readonly (readonly [string, T])[];
  /** Removes an artefact the small model leaves in its output. */
  clean?(args: T): T;
}

/** A tool's output, read once: what the step shows, what the answer says, whether a retry could help. */
export interface ToolOutcome {
  /** The `tool_end` step's output. */
  summary: string;
  /** Retrieved passages, cited as the answer's sources. */
  passages?: ScoredChunk[];
  /** The output reports a problem a new attempt with other arguments could fix. */
  fixable?: boolean;
  /** Writes (and streams) the answer to the user. */
  answer(context: AnswerContext): Promise<string>;
}

export interface AnswerContext {
  message: string;
  history: Turn[];
  args: Record<string, unknown>;
  /** Why the agent stopped early, if it did. */
  stop?: "step_limit" | "repeated_call";
  /** Passages any knowledge base search in this turn returned. */
  passages: ScoredChunk[];
  chatModel: BaseChatModel;
  out: Responder;
  usePrompt: (prompt: Prompt) => void;
  /** The grounded answer from `passages` (evidence sentences → the grounded prompt). */
  answerFromPassages: () => Promise<string>;
}

/** Identity with a type check: keeps the literal `name` of each route module. */
export function defineRoute<Name extends string>(route: RouteDefinition<Name>): RouteDefinition<Name> {
  return route;
}
