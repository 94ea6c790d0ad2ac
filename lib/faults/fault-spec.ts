import { z } from "zod";
import { AppError } from "../errors";

/**
 * The regressions the app can inject into its own turns, for proving that monitoring catches
 * them (`npm run traffic -- --inject …`). Written as `latency=2x`, `retrieval=shuffle`,
 * `cost=prompt-bloat`, `errors=10%`; several at once are joined by commas on the wire.
 */
export interface FaultSet {
  /** The turn takes this many times as long as it would (≥ 1). */
  latencyFactor?: number;
  /** The knowledge-base search returns random passages instead of the nearest ones. */
  retrievalShuffle?: boolean;
  /** Every prompt to the chat model carries padding: more prompt tokens, more cost. */
  promptBloat?: boolean;
  /** This share of turns (0–1) fails with an error. */
  errorRate?: number;
  /** The model's knowledge-base answers state a figure no source has (a hallucinating model; the answer guard should catch it). */
  inventFigures?: boolean;
}

const MAX_LATENCY_FACTOR = 20;
const MAX_SPECS = 8;

const specSchema = z.union([
  z
    .string()
    .regex(/^latency=\d+(\.\d+)?x$/)
    .transform((s) => ({ latencyFactor: Number(s.slice("latency=".length, -1)) })),
  z.literal("retrieval=shuffle").transform(() => ({ retrievalShuffle: true })),
  z.literal("cost=prompt-bloat").transform(() => ({ promptBloat: true })),
  z.literal("answers=invent").transform(() => ({ inventFigures: true })),
  z
    .string()
    .regex(/^errors=\d+(\.\d+)?%$/)
    .transform((s) => ({ errorRate: Number(s.slice("errors=".length, -1)) / 100 })),
]);

const USAGE = "expected latency=<n>x, retrieval=shuffle, cost=prompt-bloat, answers=invent or errors=<n>%";

/** The fault set several specs make together; throws `bad_request` naming a bad one. */
export function parseFaultSpecs(specs: readonly string[]): FaultSet {
  if (specs.length > MAX_SPECS) throw new AppError("bad_request", `at most ${MAX_SPECS} faults at once`);
  const faults: FaultSet = {};
  for (const raw of specs) {
    const spec = raw.trim();
    const parsed = specSchema.safeParse(spec);
    if (!parsed.success) throw new AppError("bad_request", `fault "${spec.slice(0, 60)}": ${USAGE}`);
    Object.assign(faults, parsed.data);
  }
  if (faults.latencyFactor !== undefined && (faults.latencyFactor < 1 || faults.latencyFactor > MAX_LATENCY_FACTOR)) {
    throw new AppError("bad_request", `fault latency: the factor must be from 1 to ${MAX_LATENCY_FACTOR}`);
  }
  if (faults.errorRate !== undefined && faults.errorRate > 1) throw new AppError("bad_request", "fault errors: at most 100%");
  return faults;
}

/** The specs joined for a header or a span attribute, in a fixed order: `latency=2x,errors=10%`. */
export function formatFaultSet(faults: FaultSet): string {
  return [
    faults.latencyFactor !== undefined ? `latency=${faults.latencyFactor}x` : undefined,
    faults.retrievalShuffle ? "retrieval=shuffle" : undefined,
    faults.promptBloat ? "cost=prompt-bloat" : undefined,
    faults.errorRate !== undefined ? `errors=${Math.round(faults.errorRate * 10_000) / 100}%` : undefined,
    faults.inventFigures ? "answers=invent" : undefined,
  ]
    .filter((s): s is string => s !== undefined)
    .join(",");
}
