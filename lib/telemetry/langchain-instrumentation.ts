import * as CallbackManagerModule from "@langchain/core/callbacks/manager";
import { LangChainInstrumentation } from "@arizeai/openinference-instrumentation-langchain";
import type { TraceConfigOptions } from "@arizeai/openinference-core";

const registry = globalThis as typeof globalThis & { __ragLangChainInstrumented?: boolean };

/**
 * Patches the one `@langchain/core` callback manager this process uses, so every LangChain
 * run (graph nodes, chat model calls, tools) becomes an OpenInference span. Manual, not by
 * module hook: Next.js loads `@langchain/core` as an external ES module, which
 * require-hooks never see. `serverExternalPackages` and the `overrides` entry in
 * package.json keep it to one copy, so the patched class is the one the agent runs on.
 *
 * Pass the pipeline's full trace config: a flag left out is read from the environment by
 * OpenInference itself, unvalidated. Spans nest as the app expects because lib/config.ts sets
 * LANGCHAIN_CALLBACKS_BACKGROUND=false when the process loads its configuration.
 */
export function instrumentLangChain(traceConfig: TraceConfigOptions): void {
  if (registry.__ragLangChainInstrumented) return;
  new LangChainInstrumentation({ traceConfig }).manuallyInstrument(CallbackManagerModule);
  registry.__ragLangChainInstrumented = true;
}
