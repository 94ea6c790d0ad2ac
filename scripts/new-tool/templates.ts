/**
 * The files `npm run new:tool <name>` writes. Every placeholder carries the marker
 * `TODO(new-tool)`: agents/routes/registry.test.ts fails while one is left, naming the file.
 */
export const TODO_MARKER = "TODO(new-tool)";

export interface ToolNames {
  /** shipping_estimate: the route and tool name. */
  route: string;
  /** shipping-estimate: the module's file name. */
  file: string;
  /** shippingEstimate: the camelCase stem of exported names. */
  camel: string;
  /** "the shipping estimate" */
  label: string;
}

export function toolNames(route: string): ToolNames {
  const words = route.split("_");
  return {
    route,
    file: words.join("-"),
    camel: words.map((w, i) => (i === 0 ? w : `${w[0]?.toUpperCase() ?? ""}${w.slice(1)}`)).join(""),
    label: `the ${words.join(" ")}`,
  };
}

export function routeModule(n: ToolNames): string {
  return `import { tool } from "@langchain/core/tools";
import { z } from "zod";
import { defineRoute, type ModelArguments } from "./route";

// ${TODO_MARKER}: the arguments the model fills, each with a .describe() it can read.
const argumentsSchema = z.object({
  query: z.string().min(1).max(200).describe("${TODO_MARKER}: what the tool needs"),
});
type Arguments = z.infer<typeof argumentsSchema>;

/** ${TODO_MARKER}: the tool's work. Keep it deterministic and bounded; validate what it reads. */
export function run${n.camel[0]?.toUpperCase() ?? ""}${n.camel.slice(1)}(args: Arguments): Record<string, string | number> {
  return { query: args.query };
}

const modelArguments: ModelArguments<Arguments> = {
  schema: argumentsSchema,
  // ${TODO_MARKER}: one or two worked examples [message, arguments]; never copy eval dataset messages.
  shots: [["${TODO_MARKER}: an example message", { query: "${TODO_MARKER}" }]],
};

const description = "${TODO_MARKER}: one line that says when to use this tool and what it returns.";

/** ${TODO_MARKER}: what the route is for, and why the model or a rule fills its arguments. */
export const ${n.camel}Route = defineRoute({
  name: "${n.route}",
  label: "${n.label}",
  description,
  // ${TODO_MARKER}: 20 to 50 messages a user would send for this tool, straddling the neighbouring routes.
  examples: [],
  createTool: () =>
    tool((input: Arguments) => Promise.resolve(JSON.stringify(run${n.camel[0]?.toUpperCase() ?? ""}${n.camel.slice(1)}(input))), {
      name: "${n.route}",
      description,
      schema: argumentsSchema,
    }),
  modelArguments,
  // Optional: planArguments (rules before the model), readOutput (typed output and your own answer).
});
`;
}

export function routeTest(n: ToolNames): string {
  const fn = `run${n.camel[0]?.toUpperCase() ?? ""}${n.camel.slice(1)}`;
  return `import { describe, expect, it } from "vitest";
import { ScriptedChatModel } from "@/lib/llm/scripted-chat-model";
import { InMemorySessionStore } from "@/lib/sessions/session-store";
import { HashingTestEmbedder } from "@/test-support/embeddings/hashing-test-embedder";
import { runAgentChat } from "../graph/run-agent-chat";
import { createAgentTools } from "../graph/tools";
import { ROUTES } from "./registry";
import { ${fn} } from "./${n.file}";

describe("${n.route}", () => {
  it("does its work", () => {
    // ${TODO_MARKER}: a real input and the output it must give.
    expect(${fn}({ query: "x" })).toEqual({ query: "x" });
  });

  it("runs end to end in the agent: routed, arguments from the model, answer from the output", async () => {
    const router = {
      route: () => Promise.resolve({ route: "${n.route}" as const, confidence: 0.99, candidates: ROUTES.map((route, i) => ({ route, score: route === "${n.route}" ? 0.9 : 0.5 - i * 0.01 })) }),
    };
    const chatModel = new ScriptedChatModel({ script: [{ json: { query: "x" } }] });
    const result = await runAgentChat(
      { message: "${TODO_MARKER}: a message for this tool" },
      {
        chatModel,
        embedder: new HashingTestEmbedder(),
        sessions: new InMemorySessionStore(),
        router,
        tools: createAgentTools({ retriever: { search: () => Promise.resolve([]) }, k: 4 }),
        provider: "scripted",
      },
    );
    expect(result.steps.filter((s) => s.type === "tool_start").map((s) => s.tool)).toEqual(["${n.route}"]);
    expect(result.answer).toContain("query: x");
  });
});
`;
}
