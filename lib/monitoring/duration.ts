import { z } from "zod";

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION = /^(\d+(?:\.\d+)?)(s|m|h|d|w)$/;

/** `30s`, `5m`, `1h`, `7d`, `2w` as milliseconds; undefined when it is not one. */
export function parseDurationMs(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * UNIT_MS[match[2]!]!;
  return ms > 0 ? Math.round(ms) : undefined;
}

/** A duration field of a config file: the text in, milliseconds out. */
export const durationSchema = z.string().transform((text, ctx) => {
  const ms = parseDurationMs(text);
  if (ms === undefined) {
    ctx.addIssue({ code: "custom", message: `must be a duration such as 30s, 5m, 1h, 7d or 2w; got "${text}"` });
    return z.NEVER;
  }
  return ms;
});

/** 90000 → `1m30s`, for tables. */
export function formatDuration(ms: number): string {
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  for (const [unit, size] of [
    ["d", 86_400],
    ["h", 3_600],
    ["m", 60],
    ["s", 1],
  ] as const) {
    if (rest >= size || (unit === "s" && parts.length === 0)) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join("");
}

/** An ISO time, or an age before `now` such as `30m` or `7d`, as epoch ms; undefined when neither. */
export function parseTimeOrAge(text: string, now: number): number | undefined {
  const age = parseDurationMs(text);
  if (age !== undefined) return now - age;
  if (z.iso.datetime({ offset: true }).safeParse(text).success || z.iso.date().safeParse(text).success) return Date.parse(text);
  return undefined;
}
