import { getConfig } from "@/lib/config";
import { FaultAwareRetriever } from "@/lib/faults/fault-retriever";
import { withPromptBloat } from "@/lib/faults/prompt-bloat";
import { AdmissionGate } from "@/lib/http/admission-gate";
import { createChatModel, describeModel } from "@/lib/llm/provider";
import { TracedRetriever } from "@/lib/telemetry/traced-retriever";
import { storeVocabulary } from "@/lib/vectorstore/corpus-vocabulary";
import { activeTracing } from "@/lib/telemetry/tracing-registry";
import { missingModels, requiredModels } from "@/lib/models/ensure-models";
import { alertNotifierStatus, type NotifierStatus } from "@/lib/monitoring/notify/alert-notifier";
import { createSessionStore } from "@/lib/sessions/session-backend";
import type { SessionStore } from "@/lib/sessions/session-store";
import { SessionTokens } from "@/lib/sessions/session-tokens";
import { getKnowledgeBase, knowledgeBaseProblem } from "@/lib/vectorstore/knowledge-base";
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

/** The admission gate every chat turn passes (CHAT_MAX_CONCURRENT, CHAT_MAX_QUEUE, CHAT_MAX_QUEUE_WAIT_MS, CHAT_QUEUE_TIMEOUT_MS). */
export function chatAdmission(): AdmissionGate {
  const { capacity } = getConfig();
  registry.__ragAdmission ??= new AdmissionGate({
    maxConcurrent: capacity.maxConcurrentTurns,
    maxQueued: capacity.maxQueuedTurns,
    maxQueueWaitMs: capacity.maxQueueWaitMs,
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
  registry.__ragSessions ??= createSessionStore(config);
  const knowledgeBase = getKnowledgeBase(config);
  const chatModel = createChatModel(config.llm, config.models.dir);
  // Only a server armed for fault injection (test servers) wraps these; see lib/faults.
  const armed = config.faultInjection !== undefined;
  if (armed) console.warn(`[faults] ${FAULT_INJECTION_WARNING}`);
  return {
    embedder: knowledgeBase.embedder,
    chatModel: armed ? withPromptBloat(chatModel) : chatModel,
    sessions: registry.__ragSessions,
    router: new SemanticRouter(knowledgeBase.embedder),
    tools: createAgentTools({
      retriever: new TracedRetriever(armed ? new FaultAwareRetriever(knowledgeBase) : knowledgeBase),
      k: config.retrievalK,
    }),
    provider: config.llm.provider,
    model: describeModel(config.llm),
    answerGuards: config.answerGuards,
    recordModelVote: config.routerModelVote,
    corpusVocabulary: async () => storeVocabulary(await knowledgeBase.store()),
  };
}

const FAULT_INJECTION_WARNING =
  "FAULT INJECTION IS ARMED: requests carrying the token may slow, break or degrade their own answers (test servers only)";

export interface Readiness {
  ready: boolean;
  /** Present only on a test server armed for fault injection: said to everyone, loudly. */
  faultInjection?: string;
  /** Alert notifications: how the webhook is doing (admin only: it names the receiver's host). */
  alerts?: NotifierStatus;
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
  const knowledgeBase = await knowledgeBaseProblem(config);
  if (knowledgeBase) missing.push(knowledgeBase);
  const notifier = options.detailed ? alertNotifierStatus() : undefined;
  const base = {
    ready: missing.length === 0,
    provider: config.llm.provider,
    missing,
    ...(config.faultInjection ? { faultInjection: FAULT_INJECTION_WARNING } : {}),
    ...(options.detailed ? { load: chatAdmission().load } : {}),
    ...(notifier ? { alerts: notifier } : {}),
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
      { log: tracing.traceLog.location },
    ),
  };
}
