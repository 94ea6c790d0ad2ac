import { existsSync } from "node:fs";
import path from "node:path";
import { getConfig } from "@/lib/config";
import { AdmissionGate } from "@/lib/http/admission-gate";
import { createChatModel, describeModel } from "@/lib/llm/provider";
import { TracedRetriever } from "@/lib/telemetry/traced-retriever";
import { activeTracing } from "@/lib/telemetry/tracing-registry";
import { missingModels, requiredModels } from "@/lib/models/ensure-models";
import { InMemorySessionStore, type SessionStore } from "@/lib/sessions/session-store";
import { SessionTokens } from "@/lib/sessions/session-tokens";
import { DOCSTORE_FILE } from "@/lib/vectorstore/hnsw-store-files";
import { getKnowledgeBase } from "@/lib/vectorstore/knowledge-base";
import { SemanticRouter } from "./router/semantic-router";
import { createAgentTools } from "./graph/tools";
import type { AgentDeps } from "./graph/types";

/**
 * The long-lived parts of the app, built once per server process: models and the index
 * are expensive to load, so requests share them. Kept on globalThis because Next.js dev
 * mode re-evaluates modules on every edit.
 */
const registry = globalThis as typeof globalThis & {
  __ragChatDeps?: Promise<AgentDeps>;
  __ragSessions?: SessionStore;
  __ragAdmission?: AdmissionGate;
  __ragSessionTokens?: SessionTokens;
};

/** Issues and recognises session ids (SESSION_SECRET, or a secret drawn for this process). */
export function sessionTokens(): SessionTokens {
  registry.__ragSessionTokens ??= new SessionTokens(getConfig().sessions.secret);
  return registry.__ragSessionTokens;
}

/** The admission gate every chat turn passes (CHAT_MAX_CONCURRENT, CHAT_MAX_QUEUE, CHAT_QUEUE_TIMEOUT_MS). */
export function chatAdmission(): AdmissionGate {
  const { capacity } = getConfig();
  registry.__ragAdmission ??= new AdmissionGate({
    maxConcurrent: capacity.maxConcurrentTurns,
    maxQueued: capacity.maxQueuedTurns,
    queueTimeoutMs: capacity.queueTimeoutMs,
  });
  return registry.__ragAdmission;
}

/** The agent graph's dependencies, built once per process. */
export function getChatDeps(): Promise<AgentDeps> {
  // A sync failure (a bad config) becomes a rejection like an async one.
  registry.__ragChatDeps ??= Promise.resolve()
    .then(buildDeps)
    .catch((error: unknown) => {
      // A failed start (missing model, say) must not stick: the next request retries.
      registry.__ragChatDeps = undefined;
      throw error;
    });
  return registry.__ragChatDeps;
}

function buildDeps(): AgentDeps {
  const config = getConfig();
  registry.__ragSessions ??= new InMemorySessionStore();
  const knowledgeBase = getKnowledgeBase(config);
  return {
    embedder: knowledgeBase.embedder,
    chatModel: createChatModel(config.llm, config.models.dir),
    sessions: registry.__ragSessions,
    router: new SemanticRouter(knowledgeBase.embedder),
    tools: createAgentTools({ retriever: new TracedRetriever(knowledgeBase), k: config.retrievalK }),
    provider: config.llm.provider,
    model: describeModel(config.llm),
  };
}

export interface Readiness {
  ready: boolean;
  provider: string;
  missing: string[];
  /** Chat turns answering and waiting for a slot right now (admin only: it tells how busy the server is). */
  load?: { running: number; queued: number };
  /** Whether spans are recorded, and how export is going (dropped spans mean Phoenix is down or the log cannot be written). */
  tracing: {
    enabled: boolean;
    phoenix?: { endpoint?: string; exported: number; dropped: number; lastError?: string };
    logWrites?: { written: number; dropped: number; lastError?: string };
    log?: string;
  };
}

/**
 * What a useful answer still needs, checked cheaply (file presence and sizes). Anyone may ask;
 * where things live (the Phoenix endpoint, the trace log's path) and export errors, which can
 * name hosts and paths, are told only to the admin (`detailed`).
 */
export async function readiness(options: { detailed: boolean }): Promise<Readiness> {
  const config = getConfig();
  const missing = (await missingModels(config, { only: requiredModels(config) })).map(
    (m) => `model file ${m.path}: run \`npm run models\``,
  );
  if (!existsSync(path.join(config.indexDir, DOCSTORE_FILE))) missing.push("index: run `npm run ingest`");
  const base = {
    ready: missing.length === 0,
    provider: config.llm.provider,
    missing,
    ...(options.detailed ? { load: chatAdmission().load } : {}),
  };
  const tracing = activeTracing();
  if (!tracing) return { ...base, tracing: { enabled: false } };
  const detail = <T extends object>(open: T, adminOnly: object): T => (options.detailed ? { ...open, ...adminOnly } : open);
  const { exported, dropped, lastError } = tracing.phoenixStats();
  const log = tracing.traceLogStats();
  return {
    ...base,
    tracing: detail(
      {
        enabled: true,
        ...(tracing.phoenix
          ? { phoenix: detail({ exported, dropped }, { endpoint: config.tracing.phoenix.endpoint, ...(lastError ? { lastError } : {}) }) }
          : {}),
        logWrites: detail({ written: log.exported, dropped: log.dropped }, log.lastError ? { lastError: log.lastError } : {}),
      },
      { log: tracing.traceLog.file },
    ),
  };
}
