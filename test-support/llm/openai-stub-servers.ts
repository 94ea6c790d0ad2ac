import http from "node:http";
import net from "node:net";

/**
 * Test doubles for an OpenAI-compatible server that misbehaves, on 127.0.0.1 and a port the OS
 * picks: one that answers every chat completion with an error status (a rate-limited or broken
 * upstream), and one that accepts connections and never answers (a hung upstream).
 */

export interface StubServer {
  /** What OPENAI_BASE_URL is set to. */
  baseURL: string;
  stop: () => Promise<void>;
}

export interface ErrorStatusStub extends StubServer {
  /** Chat completion requests received so far: the first try and every retry. */
  requests: () => number;
  resetRequests: () => void;
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (typeof address === "object" && address) resolve(address.port);
      else reject(new Error("no port assigned"));
    });
  });
}

function close(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Answers every request with `status` and an OpenAI-shaped error body; counts chat completion requests. */
export async function startErrorStatusStub(status: number, headers: Record<string, string> = {}): Promise<ErrorStatusStub> {
  let requests = 0;
  const server = http.createServer((request, response) => {
    if (request.method === "POST" && request.url?.endsWith("/chat/completions")) requests++;
    request.resume();
    response.writeHead(status, { "content-type": "application/json", ...headers });
    response.end(JSON.stringify({ error: { message: `stub says ${status}`, type: "stub_error", param: null, code: null } }));
  });
  const port = await listen(server);
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests: () => requests,
    resetRequests: () => {
      requests = 0;
    },
    stop: () => {
      server.closeAllConnections();
      return close(server);
    },
  };
}

export interface SilentStub extends StubServer {
  /** Connections that sent a request and are still open: calls the client has not given up on. */
  pendingRequests: () => number;
  /** Connections that sent a request, open or not. */
  requests: () => number;
}

/** Accepts connections, reads what is sent and never answers: the client's own timeouts must end the wait. */
export async function startSilentStub(): Promise<SilentStub> {
  const sockets = new Set<net.Socket>();
  const asked = new Set<net.Socket>();
  let requests = 0;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("data", () => {
      if (!asked.has(socket)) requests++;
      asked.add(socket);
    });
    socket.on("error", () => undefined);
    socket.on("close", () => {
      sockets.delete(socket);
      asked.delete(socket);
    });
  });
  const port = await listen(server);
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    pendingRequests: () => asked.size,
    requests: () => requests,
    stop: () => {
      for (const socket of sockets) socket.destroy();
      return close(server);
    },
  };
}
