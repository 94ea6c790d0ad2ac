import { z } from "zod";
import { intInRange } from "./validation/env-values";
import { parseEnv } from "./validation/parse-env";

/** Admission control and the whole-turn deadline of POST /api/chat (lib/http/admission-gate.ts). */
export interface CapacityConfigSlice {
  capacity: {
    /** CHAT_MAX_CONCURRENT: turns answered at once. */
    maxConcurrentTurns: number;
    /** CHAT_MAX_QUEUE: turns waiting for a slot at most. */
    maxQueuedTurns: number;
    /**
     * CHAT_MAX_QUEUE_WAIT_MS: a turn is refused at once when the turns ahead of it are expected
     * (from recent turns) to hold it longer than this; 0: no such bound, only CHAT_MAX_QUEUE.
     */
    maxQueueWaitMs: number;
    /** CHAT_QUEUE_TIMEOUT_MS: a waiting turn that gets no slot in this time is refused. */
    queueTimeoutMs: number;
    /** TURN_DEADLINE_MS: a whole turn (routing, tools, answer) ends with `turn_deadline` past this. */
    turnDeadlineMs: number;
  };
}

const capacityEnvSchema = z.object({
  CHAT_MAX_CONCURRENT: intInRange(1, 256, 2),
  CHAT_MAX_QUEUE: intInRange(0, 10_000, 8),
  CHAT_MAX_QUEUE_WAIT_MS: intInRange(0, 600_000, 5_000),
  CHAT_QUEUE_TIMEOUT_MS: intInRange(100, 600_000, 30_000),
  TURN_DEADLINE_MS: intInRange(1_000, 3_600_000, 120_000),
});

/** Called by loadConfig only: the environment is read in one place. */
export function capacityConfig(env: Record<string, string | undefined>): CapacityConfigSlice {
  const [e] = parseEnv(env, capacityEnvSchema);
  return {
    capacity: {
      maxConcurrentTurns: e.CHAT_MAX_CONCURRENT,
      maxQueuedTurns: e.CHAT_MAX_QUEUE,
      maxQueueWaitMs: e.CHAT_MAX_QUEUE_WAIT_MS,
      queueTimeoutMs: e.CHAT_QUEUE_TIMEOUT_MS,
      turnDeadlineMs: e.TURN_DEADLINE_MS,
    },
  };
}
