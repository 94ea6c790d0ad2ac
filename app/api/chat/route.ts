import { streamChatEvents } from "@/agents/chat-stream";
import { releaseWhenDone, runChatTurn } from "@/agents/chat-turn";
import { chatRequestSchema } from "@/agents/contract";
import { chatAdmission, getChatDeps } from "@/agents/runtime";
import { getConfig } from "@/lib/config";
import { errorResponse, negotiateResponseMode } from "@/lib/http/responses";
import { readJsonBody } from "@/lib/http/read-json-body";
import { eventStreamResponse } from "@/lib/http/sse";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Validate, pass admission (503 + Retry-After when full), then answer as a stream or as JSON within the turn's deadline. */
export async function POST(request: Request): Promise<Response> {
  try {
    const mode = negotiateResponseMode(request.headers.get("accept"));
    const body = await readJsonBody(request, chatRequestSchema);
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
