import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import type { AgentStep, ChatEvent } from "../contract";
import type { Prompt } from "../prompts/prompt";

const RUN_KEY = "agentRun";

/**
 * What belongs to one request rather than to the compiled graph: where events go, the abort
 * signal, the steps streamed so far and the prompts used. Passed to the graph through
 * `configurable`, so the graph is compiled once and its nodes take their inputs explicitly.
 */
export class AgentRun {
  readonly steps: AgentStep[] = [];
  private readonly prompts = new Map<string, Prompt>();

  constructor(
    readonly emit: (event: ChatEvent) => void,
    readonly signal?: AbortSignal,
  ) {}

  step(step: AgentStep): void {
    this.steps.push(step);
    this.emit({ type: "step", step });
  }

  usePrompt(prompt: Prompt): void {
    this.prompts.set(prompt.name, prompt);
  }

  /** `{ <prompt name>: <prompt id> }` for the trace. */
  promptIds(): Record<string, string> {
    return Object.fromEntries([...this.prompts.values()].map((p) => [p.name, p.id]));
  }

  /** The `configurable` entry that carries this run into the graph. */
  config(): Record<string, AgentRun> {
    return { [RUN_KEY]: this };
  }

  static of(config: LangGraphRunnableConfig): AgentRun {
    const run: unknown = config.configurable?.[RUN_KEY];
    if (!(run instanceof AgentRun)) throw new Error("the agent graph was invoked without an AgentRun in configurable");
    return run;
  }
}
