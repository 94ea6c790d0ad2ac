import { streamChatEvents } from "@/agents/chat-stream";
import { releaseWhenDone, runChatTurn } from "@/agents/chat-turn";
import { chatRequestSchema } from "@/agents/contract";
import { chatAdmission, getChatDeps, sessionTokens } from "@/agents/runtime";
import { getConfig } from "@/lib/config";
import { generateWithFaults, runWithFaults } from "@/lib/faults/fault-context";
import { requestedFaults } from "@/lib/faults/fault-switch";
import { errorResponse, negotiateResponseMode } from "@/lib/http/responses";
import { readJsonBody } from "@/lib/http/read-json-body";
import { eventStreamResponse } from "@/lib/http/sse";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Validate, settle the session, pass admission (503 + Retry-After when full), then answer as a stream or as JSON within the turn's deadline. */
export async function POST(request: Request): Promise<Response> {
  try {
    const mode = negotiateResponseMode(request.headers.get("accept"));
    // Test servers only: refused (403) unless the server is armed and the request has its token.
    const faults = requestedFaults(request.headers, getConfig().faultInjection);
    const asked = await readJsonBody(request, chatRequestSchema);
    // Only a session this server issued continues; any other id starts a new one.
    const body = { ...asked, sessionId: sessionTokens().owns(asked.sessionId) ? asked.sessionId : sessionTokens().issue() };
    const { turnDeadlineMs } = getConfig().capacity;
    const release = await chatAdmission().enter(request.signal);
    if (mode === "event-stream") {
      const events = generateWithFaults(faults, streamChatEvents(body, getChatDeps, request.signal, turnDeadlineMs));
      return eventStreamResponse(releaseWhenDone(events, release, request.signal));
    }
    try {
      const turn = () => runChatTurn(body, getChatDeps, { deadlineMs: turnDeadlineMs, signal: request.signal });
      return Response.json(await runWithFaults(faults, turn));
    } finally {
      release();
    }
  } catch (error) {
    return errorResponse(error);
  }
}
