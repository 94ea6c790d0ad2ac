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
 */
export function instrumentLangChain(traceConfig: TraceConfigOptions): void {
  if (registry.__ragLangChainInstrumented) return;
  // Await callback handlers, so a run's span exists before the run's own code starts:
  // the app nests its spans under LangChain's (see langchain-run-span.ts). LangChain also
  // recommends this wherever a process may end right after a request.
  process.env.LANGCHAIN_CALLBACKS_BACKGROUND = "false";
  new LangChainInstrumentation({ traceConfig }).manuallyInstrument(CallbackManagerModule);
  registry.__ragLangChainInstrumented = true;
}
