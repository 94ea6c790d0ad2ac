import { streamChatEvents } from "@/agents/chat-stream";
import { releaseWhenDone, runChatTurn } from "@/agents/chat-turn";
import { chatRequestSchema } from "@/agents/contract";
import { chatAdmission, getChatDeps, sessionTokens } from "@/agents/runtime";
import { getConfig } from "@/lib/config";
import { errorResponse, negotiateResponseMode } from "@/lib/http/responses";
import { readJsonBody } from "@/lib/http/read-json-body";
import { eventStreamResponse } from "@/lib/http/sse";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Validate, settle the session, pass admission (503 + Retry-After when full), then answer as a stream or as JSON within the turn's deadline. */
export async function POST(request: Request): Promise<Response> {
  try {
    const mode = negotiateResponseMode(request.headers.get("accept"));
    const asked = await readJsonBody(request, chatRequestSchema);
    // Only a session this server issued continues; any other id starts a new one.
    const body = { ...asked, sessionId: sessionTokens().owns(asked.sessionId) ? asked.sessionId : sessionTokens().issue() };
    const { turnDeadlineMs } = getConfig().capacity;
    const release = await chatAdmission().enter(request.signal);
    if (mode === "event-stream") {
      const events = streamChatEvents(body, getChatDeps, request.signal, turnDeadlineMs);
      return eventStreamResponse(releaseWhenDone(events, release, request.signal));
    }
    try {
      return Response.json(await runChatTurn(body, getChatDeps, { deadlineMs: turnDeadlineMs, signal: request.signal }));
    } finally {
      release();
    }
  } catch (error) {
    return errorResponse(error);
  }
}
