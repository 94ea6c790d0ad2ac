/**
 * Chat traffic for the alerting end-to-end test: `workers` loops, each asking the next message of
 * a cycle (quick calculator turns between knowledge-base turns), with the fault headers of the
 * phase the test is in. Every turn is recorded with its phase, timing and status.
 */

export interface Turn {
  phase: string;
  message: string;
  startMs: number;
  ms: number;
  status: number;
}

export interface PhasedTraffic {
  /** Switches the phase: later turns send these headers. */
  phase(name: string, headers?: Record<string, string>): void;
  turns: Turn[];
  stop(): Promise<void>;
}

export function startPhasedTraffic(url: string, messages: readonly string[], workers: number): PhasedTraffic {
  let current = { name: "start", headers: {} as Record<string, string> };
  let stopped = false;
  let next = 0;
  const turns: Turn[] = [];
  async function loop(): Promise<void> {
    while (!stopped) {
      const { name, headers } = current;
      const message = messages[next++ % messages.length]!;
      const startMs = Date.now();
      let status: number;
      try {
        const response = await fetch(`${url}/api/chat`, {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json", ...headers },
          body: JSON.stringify({ message }),
          signal: AbortSignal.timeout(60_000),
        });
        status = response.status;
        await response.arrayBuffer();
      } catch {
        status = -1;
      }
      turns.push({ phase: name, message, startMs, ms: Date.now() - startMs, status });
    }
  }
  const running = Array.from({ length: workers }, () => loop());
  return {
    phase(name, headers = {}) {
      current = { name, headers };
    },
    turns,
    async stop() {
      stopped = true;
      await Promise.all(running);
    },
  };
}
