/**
 * Bounded concurrency for the eval tools (examples, benchmark items, judge calls, traces,
 * traffic sessions): `fn` over the items with at most `concurrency` in flight, results in the
 * items' order. With `stopped`, no new item starts once it returns true; the items never
 * started are left out (`undefined` in the result).
 */
export function mapPool<T, R>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]>;
export function mapPool<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
  options: { stopped: () => boolean },
): Promise<Array<R | undefined>>;
export async function mapPool<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
  options?: { stopped: () => boolean },
): Promise<Array<R | undefined>> {
  const results = new Array<R | undefined>(items.length).fill(undefined);
  let next = 0;
  const worker = async () => {
    while (next < items.length && !options?.stopped()) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return results;
}
