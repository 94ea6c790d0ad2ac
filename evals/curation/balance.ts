/**
 * Picks at most `max` items across routes: round-robin, one per route per round, each route
 * giving its highest-priority item first, routes in order of their best remaining item, and
 * no route more than `perRoute`. Production traffic is mostly knowledge-base questions; without
 * this a queue would be all of them while a failing calculator went unreviewed.
 */
export interface Balanceable {
  route: string | null;
  priority: number;
  /** Tie-break: newer first. */
  tracedAtMs: number;
}

export const UNROUTED = "unrouted";

function byPriority(a: Balanceable, b: Balanceable): number {
  return b.priority - a.priority || b.tracedAtMs - a.tracedAtMs;
}

export function balanceByRoute<T extends Balanceable>(items: readonly T[], options: { max: number; perRoute: number }): T[] {
  const queues = new Map<string, T[]>();
  for (const item of [...items].sort(byPriority)) {
    const key = item.route ?? UNROUTED;
    queues.set(key, [...(queues.get(key) ?? []), item]);
  }
  const taken = new Map<string, number>();
  const picked: T[] = [];
  while (picked.length < options.max) {
    // Routes still able to give, best head first: strong reasons land before weak ones each round.
    const open = [...queues]
      .filter(([route, queue]) => queue.length > 0 && (taken.get(route) ?? 0) < options.perRoute)
      .sort(([, a], [, b]) => byPriority(a[0]!, b[0]!));
    if (open.length === 0) break;
    for (const [route, queue] of open) {
      if (picked.length >= options.max) break;
      picked.push(queue.shift()!);
      taken.set(route, (taken.get(route) ?? 0) + 1);
    }
  }
  return picked;
}
