import { HumanMessage, SystemMessage, type BaseMessage } from "@langchain/core/messages";
import { trace } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { createOpenAIChatModel } from "../llm/openai-chat-model";
import { ScriptedChatModel } from "../llm/scripted-chat-model";
import { startCountingStub } from "@/test-support/llm/openai-counting-stub";
import type { Chunk, ScoredChunk } from "../vectorstore/types";
import { FAULT_INJECTION_ACKNOWLEDGEMENT, faultInjectionConfig } from "./fault-env";
import { activeFaults, generateWithFaults, runWithFaults } from "./fault-context";
import { FaultAwareRetriever, type ChunkSource } from "./fault-retriever";
import { formatFaultSet, parseFaultSpecs } from "./fault-spec";
import { FAULT_INJECT_HEADER, FAULT_TOKEN_HEADER, requestedFaults } from "./fault-switch";
import { PROMPT_PADDING, withPromptBloat } from "./prompt-bloat";
import { withTurnFaults } from "./turn-faults";
import { INVENTED_CLAIM, withInventedFigures } from "./invented-figures";

const TOKEN = "t".repeat(32);

describe("fault specs", () => {
  it("parses the five faults, several at once, and formats them back", () => {
    const faults = parseFaultSpecs(["latency=2x", "retrieval=shuffle", "cost=prompt-bloat", "errors=10%", "answers=invent"]);
    expect(faults).toEqual({ latencyFactor: 2, retrievalShuffle: true, promptBloat: true, errorRate: 0.1, inventFigures: true });
    expect(formatFaultSet(faults)).toBe("latency=2x,retrieval=shuffle,cost=prompt-bloat,errors=10%,answers=invent");
  });

  it("adds an invented claim to the draft of a turn that asks for it, and only there", () => {
    expect(withInventedFigures("It weighs 5 kg.")).toBe("It weighs 5 kg.");
    expect(runWithFaults({ inventFigures: true }, () => withInventedFigures("It weighs 5 kg. "))).toBe(`It weighs 5 kg. ${INVENTED_CLAIM}`);
  });

  it.each(["latency=fast", "latency=0.5x", "errors=120%", "retrieval=random", "drop=tables"])("refuses %s", (spec) => {
    expect(() => parseFaultSpecs([spec])).toThrow(/fault/);
  });
});

describe("the fault-injection switch", () => {
  it("is off unless both the token and the written acknowledgement are set", () => {
    expect(faultInjectionConfig({})).toBeUndefined();
    expect(() => faultInjectionConfig({ FAULT_INJECTION_TOKEN: TOKEN })).toThrow(/ALLOW_FAULT_INJECTION/);
    expect(() => faultInjectionConfig({ FAULT_INJECTION_TOKEN: TOKEN, ALLOW_FAULT_INJECTION: "true" })).toThrow(/ALLOW_FAULT_INJECTION/);
    expect(() => faultInjectionConfig({ ALLOW_FAULT_INJECTION: FAULT_INJECTION_ACKNOWLEDGEMENT })).toThrow(/at least 32/);
    expect(faultInjectionConfig({ FAULT_INJECTION_TOKEN: TOKEN, ALLOW_FAULT_INJECTION: FAULT_INJECTION_ACKNOWLEDGEMENT })).toEqual({
      token: TOKEN,
    });
    // The server's config refuses to load half-armed, and is unarmed by default.
    expect(() => loadConfig({ FAULT_INJECTION_TOKEN: TOKEN })).toThrow(expect.objectContaining({ code: "config_invalid" }));
    expect(loadConfig({}).faultInjection).toBeUndefined();
    const armed = loadConfig({ FAULT_INJECTION_TOKEN: TOKEN, ALLOW_FAULT_INJECTION: FAULT_INJECTION_ACKNOWLEDGEMENT });
    expect(armed.faultInjection).toEqual({ token: TOKEN });
  });

  it("refuses a request that asks for faults on a server that is not armed, or without the token", () => {
    const asking = (token?: string) =>
      new Headers({ [FAULT_INJECT_HEADER]: "latency=2x", ...(token ? { [FAULT_TOKEN_HEADER]: token } : {}) });
    expect(requestedFaults(new Headers(), undefined)).toBeUndefined();
    expect(() => requestedFaults(asking(TOKEN), undefined)).toThrow(expect.objectContaining({ code: "forbidden", status: 403 }));
    expect(() => requestedFaults(asking(), { token: TOKEN })).toThrow(expect.objectContaining({ code: "forbidden" }));
    expect(() => requestedFaults(asking("x".repeat(32)), { token: TOKEN })).toThrow(expect.objectContaining({ code: "forbidden" }));
    expect(requestedFaults(asking(TOKEN), { token: TOKEN })).toEqual({ latencyFactor: 2 });
  });
});

describe("faults in a turn", () => {
  const span = trace.wrapSpanContext({ traceId: "0".repeat(31) + "1", spanId: "0".repeat(15) + "1", traceFlags: 1 });

  it("are active inside the turn only, through a generator's pulls too", async () => {
    expect(runWithFaults({ promptBloat: true }, () => activeFaults())).toEqual({ promptBloat: true });
    expect(activeFaults()).toBeUndefined();
    async function* events() {
      await new Promise((resolve) => setTimeout(resolve, 1));
      yield activeFaults();
    }
    const seen = [];
    for await (const faults of generateWithFaults({ errorRate: 1 }, events())) seen.push(faults);
    expect(seen).toEqual([{ errorRate: 1 }]);
  });

  it("fail a share of turns before they run, and double a slow one's duration", async () => {
    let ran = 0;
    const run = async () => {
      ran++;
      await new Promise((resolve) => setTimeout(resolve, 100));
      return "answer";
    };
    await expect(runWithFaults({ errorRate: 0.1 }, () => withTurnFaults(span, undefined, run, () => 0.05))).rejects.toMatchObject({
      code: "llm_failed",
    });
    expect(ran).toBe(0);
    await expect(runWithFaults({ errorRate: 0.1 }, () => withTurnFaults(span, undefined, run, () => 0.5))).resolves.toBe("answer");
    const started = performance.now();
    await expect(runWithFaults({ latencyFactor: 2 }, () => withTurnFaults(span, undefined, run))).resolves.toBe("answer");
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });

  it("shuffle retrieval: random passages scored by their real similarity", async () => {
    const chunk = (id: string): Chunk => ({ id, docId: id, title: id, topic: "t", text: id, start: 0, end: 1 });
    const vectors: Record<string, Float32Array> = {
      near: Float32Array.from([1, 0]),
      far1: Float32Array.from([0, 1]),
      far2: Float32Array.from([-1, 0]),
    };
    const source: ChunkSource = {
      modelName: "test",
      embedQuery: () => Promise.resolve(Float32Array.from([1, 0])),
      searchVector: (): Promise<ScoredChunk[]> => Promise.resolve([{ ...chunk("near"), score: 1 }]),
      store: () => Promise.resolve({ entries: () => Object.entries(vectors).map(([id, vector]) => ({ chunk: chunk(id), vector })) }),
    };
    const draws = [0.9, 0.6];
    const retriever = new FaultAwareRetriever(source, () => draws.shift() ?? 0);
    expect((await retriever.search("q", { k: 1 })).map((c) => c.id)).toEqual(["near"]);
    const shuffled = await runWithFaults({ retrievalShuffle: true }, () => retriever.search("q", { k: 2 }));
    expect(shuffled.map((c) => [c.id, c.score])).toEqual([
      ["far1", 0],
      ["far2", -1],
    ]);
  });

  it("prompt bloat: the model sees the padding in its system prompt, in stream and invoke alike", async () => {
    const seen: BaseMessage[][] = [];
    const model = withPromptBloat(new ScriptedChatModel({ script: ({ messages }) => (seen.push(messages), "ok") }));
    const messages = [new SystemMessage("Be brief."), new HumanMessage("hi")];
    await model.invoke(messages);
    await runWithFaults({ promptBloat: true }, async () => {
      await model.invoke(messages);
      for await (const _ of await model.stream("hello")) void _;
    });
    expect(seen.map((m) => m.length)).toEqual([2, 2, 2]);
    expect(seen[0]?.[0]?.content).toBe("Be brief.");
    expect(seen[1]?.[0]?.content).toBe(`Be brief.\n\n${PROMPT_PADDING}`);
    expect(seen[2]?.[0]?.content).toBe(PROMPT_PADDING);
  });

  it("prompt bloat reaches the models ChatOpenAI derives (bindTools, withConfig)", async () => {
    const stub = await startCountingStub();
    try {
      const config = loadConfig({ OPENAI_BASE_URL: stub.baseURL, OPENAI_MAX_RETRIES: "0" });
      const model = withPromptBloat(createOpenAIChatModel(config.llm));
      const derived = model.withConfig({ tags: ["x"] });
      const tokens = async () =>
        ((await derived.invoke("hello")) as { usage_metadata?: { input_tokens: number } }).usage_metadata?.input_tokens ?? 0;
      const plain = await tokens();
      const bloated = await runWithFaults({ promptBloat: true }, tokens);
      expect(bloated - plain).toBeGreaterThan(PROMPT_PADDING.length / 4 - 10);
    } finally {
      await stub.stop();
    }
  });
});
