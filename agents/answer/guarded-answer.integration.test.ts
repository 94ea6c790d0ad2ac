import { context, trace } from "@opentelemetry/api";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getConfig } from "@/lib/config";
import { createChatModel } from "@/lib/llm/provider";
import { ScriptedChatModel } from "@/lib/llm/scripted-chat-model";
import { checkClaims } from "@/lib/quality/claims";
import { isAbstention } from "@/lib/quality/text";
import { InMemorySessionStore } from "@/lib/sessions/session-store";
import { storeVocabulary } from "@/lib/vectorstore/corpus-vocabulary";
import { getKnowledgeBase } from "@/lib/vectorstore/knowledge-base";
import type { AgentStep } from "../contract";
import { runAgentChat } from "../graph/run-agent-chat";
import { createAgentTools } from "../graph/tools";
import type { AgentDeps } from "../graph/types";
import { retrieveForTurn } from "../retrieve-context";
import { SemanticRouter } from "../router/semantic-router";
import { groundedAnswer } from "./grounded-answer";

// The real index (npm run ingest), embedding model, router and the embedded chat model. The
// repair case scripts the model's draft (a test stand-in) so that it certainly invents a figure;
// everything around it is real.

const config = getConfig();
const knowledgeBase = getKnowledgeBase(config);
const router = new SemanticRouter(knowledgeBase.embedder);
const corpusVocabulary = async () => storeVocabulary(await knowledgeBase.store());

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

beforeAll(async () => {
  provider.register();
  await knowledgeBase.store();
  await router.load();
});
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
});
beforeEach(() => exporter.reset());

function deps(overrides: Partial<AgentDeps> = {}): AgentDeps {
  return {
    embedder: knowledgeBase.embedder,
    chatModel: createChatModel(config.llm, config.models.dir),
    sessions: new InMemorySessionStore(),
    router,
    tools: createAgentTools({ retriever: knowledgeBase, k: config.retrievalK }),
    provider: "local",
    answerGuards: true,
    corpusVocabulary,
    ...overrides,
  };
}

const checkStep = (steps: AgentStep[]) => steps.find((s) => s.type === "answer_check");
const postprocessSpan = () => exporter.getFinishedSpans().find((s) => s.name === "postprocess");

describe("guarded answers with the real models", () => {
  it("abstains on a question about something no document mentions, and says what it searched", async () => {
    const result = await runAgentChat({ message: "Does the ACME health plan cover orthodontics for employees?" }, deps());
    expect(isAbstention(result.answer)).toBe(true);
    expect(result.answer).toContain('"orthodontic"');
    expect(result.answer).toMatch(/closest documents were "[^"]+"/);
    expect(checkStep(result.steps)).toMatchObject({ verdict: "abstained", reason: "unknown_terms" });
    expect(postprocessSpan()?.attributes["answer.guard.verdict"]).toBe("abstained");
  });

  it("abstains when the passages found never name what the question is about, in any words", async () => {
    // Every word here is everyday English and the leave policies come close; none mentions a wedding.
    const result = await runAgentChat({ message: "How many days of leave do employees get for their wedding?" }, deps());
    expect(isAbstention(result.answer)).toBe(true);
    expect(result.answer).toContain('do not mention "wedding"');
    expect(checkStep(result.steps)).toMatchObject({ verdict: "abstained", reason: "unmentioned_subject" });
  });

  it("answers an answerable question with its source quoted, and records the check", async () => {
    const result = await runAgentChat({ message: "What is the top speed of the Roadrunner R100 robot?" }, deps());
    expect(isAbstention(result.answer)).toBe(false);
    const step = checkStep(result.steps);
    expect(step?.type === "answer_check" && ["supported", "repaired"].includes(step.verdict)).toBe(true);
    // Whatever the model wrote, what is shown holds no figure the sources lack.
    const sources = result.sources.map((s) => `${s.title}\n${s.text}`);
    expect(checkClaims(result.answer, [...sources, "What is the top speed of the Roadrunner R100 robot?"]).unsupported).toEqual([]);
  });

  it("never shows a draft with an invented figure: the user gets the quoted evidence instead", async () => {
    const message = "How long is the warranty on the Anvil A1 gateway?";
    const passages = await retrieveForTurn(knowledgeBase, message, [], config.retrievalK);
    const draft = "The Anvil A1 comes with a 17-year warranty.";
    const emitted: string[] = [];
    const steps: AgentStep[] = [];
    const answer = await groundedAnswer({
      message,
      history: [],
      passages,
      embedder: knowledgeBase.embedder,
      chatModel: new ScriptedChatModel({ script: [draft] }),
      out: { emit: (t) => emitted.push(t) },
      usePrompt: () => undefined,
      guards: true,
      corpusVocabulary,
      recordCheck: (step) => steps.push(step),
    });
    expect(answer).not.toContain("17");
    expect(emitted.join("")).toBe(answer);
    expect(answer).toMatch(/^I couldn't check a generated answer against the documents, so here is what they say:\n- “.+” \(.+\)/);
    expect(answer).toContain("3-year");
    expect(steps).toEqual([{ type: "answer_check", verdict: "repaired", reason: "unsupported_claims", unsupported: 1 }]);
    const span = postprocessSpan();
    expect(span?.attributes["answer.guard.verdict"]).toBe("repaired");
    expect(span?.attributes["answer.guard.unsupported_count"]).toBe(1);
  });

  it("with guards off, streams the model's text unchecked", async () => {
    const message = "How long is the warranty on the Anvil A1 gateway?";
    const passages = await retrieveForTurn(knowledgeBase, message, [], config.retrievalK);
    const steps: AgentStep[] = [];
    const answer = await groundedAnswer({
      message,
      history: [],
      passages,
      embedder: knowledgeBase.embedder,
      chatModel: new ScriptedChatModel({ script: ["A 17-year warranty."] }),
      out: { emit: () => undefined },
      usePrompt: () => undefined,
      guards: false,
      recordCheck: (step) => steps.push(step),
    });
    expect(answer).toBe("A 17-year warranty.");
    expect(steps).toEqual([]);
  });
});
