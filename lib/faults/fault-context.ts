import { AsyncLocalStorage } from "node:async_hooks";
import type { FaultSet } from "./fault-spec";

/**
 * The faults of the turn running now. The retriever and the chat model sit deep below the
 * agent graph, so the request's faults travel with its async context rather than through every
 * signature. On globalThis because Next.js bundles each route separately: the route that sets
 * the faults and the dependencies that read them may come from different bundles.
 */
const registry = globalThis as typeof globalThis & { __ragFaults?: AsyncLocalStorage<FaultSet> };
const storage = (registry.__ragFaults ??= new AsyncLocalStorage<FaultSet>());

/** The current turn's faults; undefined in every turn that asked for none. */
export function activeFaults(): FaultSet | undefined {
  return storage.getStore();
}

/** Runs `fn` with `faults` active for everything it starts; no faults: `fn` as it is. */
export function runWithFaults<T>(faults: FaultSet | undefined, fn: () => T): T {
  return faults ? storage.run(faults, fn) : fn();
}

/**
 * A generator whose body runs with `faults` active. A generator's body runs in the context of
 * whoever pulls it (the response stream), not of the code that created it, so each pull is
 * wrapped.
 */
export function generateWithFaults<T>(faults: FaultSet | undefined, events: AsyncGenerator<T>): AsyncGenerator<T> {
  if (!faults) return events;
  async function* bound(): AsyncGenerator<T> {
    try {
      for (;;) {
        const next = await storage.run(faults!, () => events.next());
        if (next.done) return;
        yield next.value;
      }
    } finally {
      await storage.run(faults!, () => events.return(undefined));
    }
  }
  return bound();
}
