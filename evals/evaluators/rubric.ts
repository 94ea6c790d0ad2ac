import { z } from "zod";

/**
 * The 1-5 rating most judges reply with. The integer range becomes an enum in the local
 * model's grammar, so the reply is always one of 1..5. With `reasons` the judge also explains
 * itself in a capped sentence (see `JudgeOptions.reasons` for when).
 */
export type Rating = {
  score: number;
  reason?: string;
};

const score = z.number().int().min(1).max(5);
const scoreOnly = z.object({ score });
const withReason = z.object({ score, reason: z.string().max(160) });

export function ratingSchema(reasons: boolean): z.ZodType<Rating> {
  return reasons ? withReason : scoreOnly;
}

/** 1 → 0, 3 → 0.5, 5 → 1. */
export function ratingToScore(rating: number): number {
  return (rating - 1) / 4;
}

/** Drops the reason from worked examples when the judge is asked for none (the reply schema forbids it). */
export function shotsFor<T extends { reason?: string }>(shots: readonly { user: string; reply: T }[], reasons: boolean) {
  return reasons ? shots : shots.map(({ user, reply }) => ({ user, reply: { ...reply, reason: undefined } }));
}

/** "Rated 4/5 for faithfulness: <reason>" or "Rated 4/5 for faithfulness." */
export function ratedExplanation(what: string, reply: Rating): string {
  return `Rated ${reply.score}/5 for ${what}${reply.reason ? `: ${reply.reason}` : "."}`;
}

/** "[1] Title: text" blocks, cut so the whole block stays under `maxChars` (the local model has a 4k-token context). */
export function formatSources(sources: readonly { title?: string; text: string }[], maxChars: number): string {
  if (sources.length === 0) return "(none)";
  const perSource = Math.max(200, Math.floor(maxChars / sources.length));
  const blocks = sources.map((s, i) => {
    const head = `[${i + 1}] ${s.title ? `${s.title}: ` : ""}`;
    const body = s.text.replace(/\s+/g, " ").trim();
    return head + (body.length > perSource ? `${body.slice(0, perSource - 1)}…` : body);
  });
  const joined = blocks.join("\n");
  return joined.length > maxChars ? `${joined.slice(0, maxChars - 1)}…` : joined;
}
