import { randomUUID } from "node:crypto";
import { context } from "@opentelemetry/api";
import { setSession, setUser } from "@arizeai/openinference-core";
import { SemanticConventions as SC } from "@arizeai/openinference-semantic-conventions";
import { getConfig } from "@/lib/config";
import { AppError, toAppError } from "@/lib/errors";
import { withTurnFaults } from "@/lib/faults/turn-faults";
import { buildInfo } from "@/lib/telemetry/build-info";
import { ioAttributes, OpenInferenceSpanKind, withSpan } from "@/lib/telemetry/spans";
import { currentTraceId } from "@/lib/telemetry/trace-id";
import { activeTracing } from "@/lib/telemetry/tracing-registry";
import { AppAttributes } from "@/lib/telemetry/attributes";
import type { ChatRequest, ChatResult } from "../contract";
import { PROMPT_SET_VERSION } from "../prompts";
import { agentGraphFor } from "./agent-graph";
import { AgentRun } from "./agent-run";
import { DEFAULT_MAX_STEPS } from "./nodes/reason-node";
import { tracedQueryRewrite } from "./query-rewrite-span";
import { initialState, type AgentStateValue } from "./state";
import type { AgentDeps, RunOptions } from "./types";

/** The root span's name: one `chat` AGENT span per request (see DESIGN.md). */
export const CHAT_SPAN_NAME = "chat";

/**
 * The agent: one chat turn in, events out (`emit`), the result back, inside one trace rooted
 * in a `chat` AGENT span. A tool failure never throws: it is an observation the answer
 * explains. What still throws (as an AppError, which the stream turns into an `error` event):
 * the answer model failing mid-stream, and an abort.
 */
export async function runAgentChat(request: ChatRequest, deps: AgentDeps, options: RunOptions = {}): Promise<ChatResult> {
  const sessionId = request.sessionId ?? randomUUID();
  let ctx = setSession(context.active(), { sessionId });
  if (options.userId) ctx = setUser(ctx, { userId: options.userId });
  const tags = chatTags(deps, options);
  return withSpan(
    CHAT_SPAN_NAME,
    {
      kind: OpenInferenceSpanKind.AGENT,
      // The chat is the trace's root even inside Next.js's HTTP span (which is not exported).
      root: true,
      parent: ctx,
      attributes: {
        [SC.SESSION_ID]: sessionId,
        ...(options.userId ? { [SC.USER_ID]: options.userId } : {}),
        ...ioAttributes("input", request.message),
        [SC.TAG_TAGS]: tags.list,
        [SC.METADATA]: JSON.stringify(tags.metadata),
        [SC.PROMPT_TEMPLATE_VERSION]: PROMPT_SET_VERSION,
      },
    },
    async (span) => {
      const run = new AgentRun(options.emit ?? (() => undefined), options.signal);
      // Injected faults (test servers only) act inside the root span, as a real regression would.
      const result = await withTurnFaults(span, options.signal, () => runGraph(request, sessionId, deps, options, run));
      const route = result.steps.find((s) => s.type === "route");
      span.setAttributes({
        ...ioAttributes("output", result.answer),
        ...(route?.type === "route" ? { [AppAttributes.AGENT_ROUTE]: route.route } : {}),
        [AppAttributes.AGENT_STEPS]: result.steps.length,
        [AppAttributes.AGENT_PROMPTS]: JSON.stringify(run.promptIds()),
      });
      return result;
    },
  );
}

async function runGraph(request: ChatRequest, sessionId: string, deps: AgentDeps, options: RunOptions, run: AgentRun): Promise<ChatResult> {
  const traceId = currentTraceId();
  const traceUrl = activeTracing()?.traceUrl(traceId);
  run.emit({ type: "trace", traceId, ...(traceUrl ? { url: traceUrl } : {}), sessionId });
  const history = await deps.sessions.history(sessionId);
  const rewrite = await tracedQueryRewrite(request.message, history);
  let final: AgentStateValue;
  try {
    final = await agentGraphFor(deps).invoke(initialState(request.message, history, rewrite), {
      recursionLimit: 4 * (deps.maxSteps ?? DEFAULT_MAX_STEPS) + 8,
      signal: options.signal,
      runName: "agent_graph",
      configurable: run.config(),
      // LangChain's own way to group runs: the instrumentation turns it into session.id.
      metadata: { session_id: sessionId },
    });
  } catch (error) {
    if (options.signal?.aborted) throw new AppError("aborted", "The request was aborted", { cause: error });
    throw toAppError(error, "internal");
  }
  const answer = final.answer.trim();
  await deps.sessions.append(sessionId, { user: request.message, assistant: answer });
  return { answer, sources: final.sources, steps: run.steps, traceId, ...(traceUrl ? { traceUrl } : {}), sessionId };
}

/** Tags a trace can be filtered by in Phoenix: model, prompt version, app version, commit. */
function chatTags(deps: AgentDeps, options: RunOptions): { list: string[]; metadata: Record<string, string> } {
  // The deploy's APP_VERSION/GIT_SHA win over package.json, as on the resource: versions are compared by this tag.
  const { appVersion, gitSha } = getConfig().tracing;
  const build = buildInfo({ appVersion, gitSha });
  const metadata: Record<string, string> = {
    provider: deps.model?.provider ?? deps.provider,
    model: deps.model?.modelName ?? "unknown",
    prompt_version: PROMPT_SET_VERSION,
    app_version: build.appVersion,
    git_sha: build.gitSha,
    ...options.metadata,
  };
  const list = [
    `model:${metadata.model}`,
    `prompt:${PROMPT_SET_VERSION}`,
    `app:${build.appVersion}`,
    `git:${build.gitSha}`,
    ...(options.tags ?? []),
  ];
  return { list, metadata };
}
