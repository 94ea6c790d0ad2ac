import { OTHER_VALUE } from "./genai-conventions";

export interface BoundedValuesOptions {
  /** Values always kept as they are. */
  known?: Iterable<string>;
  /**
   * Values outside `known` kept when they match `pattern`, the first `maxLearned` distinct ones
   * only. 0 (the default): a closed set.
   */
  maxLearned?: number;
  pattern?: RegExp;
  /**
   * Map a value that extends a known one (`<known>-<suffix>`) to that known one, so that a dated
   * model name (`gpt-4o-mini-2024-07-18`) counts as its family, as the price table prices it.
   */
  knownPrefixes?: boolean;
}

/**
 * Keeps a metric attribute's values to a bounded set: every distinct attribute set is a time
 * series a backend stores forever, so a value outside the set becomes `_OTHER` instead of a
 * new series. Values that come from the app's own code (route names, error codes) may be
 * learned up to a cap; values an outside party can choose (a model name from a configured
 * server) come from a closed set.
 */
export class BoundedValues {
  private readonly known: Set<string>;
  private readonly learned = new Set<string>();
  private readonly prefixes: string[];

  constructor(private readonly options: BoundedValuesOptions = {}) {
    this.known = new Set(options.known ?? []);
    // Longest first, so `gpt-4o-mini-x` maps to `gpt-4o-mini`, not `gpt-4o`.
    this.prefixes = options.knownPrefixes ? [...this.known].sort((a, b) => b.length - a.length) : [];
  }

  normalize(value: unknown): string {
    if (typeof value !== "string") return OTHER_VALUE;
    if (this.known.has(value) || this.learned.has(value)) return value;
    const family = this.prefixes.find((known) => value.startsWith(`${known}-`));
    if (family) return family;
    const { maxLearned = 0, pattern } = this.options;
    if (this.learned.size < maxLearned && pattern?.test(value)) {
      this.learned.add(value);
      return value;
    }
    return OTHER_VALUE;
  }
}
