import { streamChatEvents } from "@/agents/chat-stream";
import { chatRequestSchema } from "@/agents/contract";
import { runAgentChat } from "@/agents/graph/run-agent-chat";
import { scheduleOnlineEval } from "@/agents/online-eval";
import { getChatDeps } from "@/agents/runtime";
import { errorResponse, negotiateResponseMode } from "@/lib/http/responses";
import { readJsonBody } from "@/lib/http/read-json-body";
import { eventStreamResponse } from "@/lib/http/sse";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  try {
    const mode = negotiateResponseMode(request.headers.get("accept"));
    const body = await readJsonBody(request, chatRequestSchema);
    if (mode === "event-stream") {
      return eventStreamResponse(streamChatEvents(body, getChatDeps, request.signal));
    }
    const result = await runAgentChat(body, await getChatDeps(), { signal: request.signal });
    scheduleOnlineEval({ message: body.message, result });
    return Response.json(result);
  } catch (error) {
    return errorResponse(error);
  }
}
