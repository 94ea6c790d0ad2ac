import { AppError } from "../errors";
import { parseTimeOrAge } from "./duration";
import type { RequestFacts } from "./request-facts";

/**
 * What `npm run compare -- --before X --after Y` compares: the requests of one app or prompt
 * version, or of a time range. Written as
 * - `app:0.2.0` / `prompt:prompts-1a2b` — a version (read within the lookback, `--since`);
 * - `0.2.0` — an app version if any request ran it, else a prompt version;
 * - `2026-12-01T00:00Z..2026-12-02T00:00Z`, `7d..1d`, `1h..now` — a time range (ISO times or
 *   durations ago; the end is exclusive).
 */

export type CompareSelector =
  | { kind: "version"; dimension: "app_version" | "prompt_version" | "either"; value: string }
  | { kind: "range"; fromMs: number; toMs: number };

function timePoint(text: string, nowMs: number, flag: string): number {
  if (text === "now") return nowMs;
  const at = parseTimeOrAge(text, nowMs);
  if (at === undefined) throw new AppError("bad_request", `${flag}: "${text}" is neither a time (ISO 8601), a duration ago (7d) nor "now"`);
  return at;
}

export function parseCompareSelector(text: string, nowMs: number, flag: string): CompareSelector {
  const value = text.trim();
  if (value === "") throw new AppError("bad_request", `${flag}: empty; give a version (app:0.2.0, prompt:…) or a time range (7d..1d)`);
  const range = /^(.+?)\.\.(.+)$/.exec(value);
  if (range && !value.startsWith("app:") && !value.startsWith("prompt:")) {
    const fromMs = timePoint(range[1]!, nowMs, flag);
    const toMs = timePoint(range[2]!, nowMs, flag);
    if (!(fromMs < toMs)) throw new AppError("bad_request", `${flag}: the range ${value} ends before it starts`);
    return { kind: "range", fromMs, toMs };
  }
  const prefixed = /^(app|prompt):(.+)$/.exec(value);
  if (prefixed) return { kind: "version", dimension: prefixed[1] === "app" ? "app_version" : "prompt_version", value: prefixed[2]! };
  return { kind: "version", dimension: "either", value };
}

/** The time span a selector needs read from the trace log. */
export function selectorSpan(selector: CompareSelector, lookback: { fromMs: number; toMs: number }): { fromMs: number; toMs: number } {
  return selector.kind === "range" ? { fromMs: selector.fromMs, toMs: selector.toMs } : lookback;
}

/** The selector's requests among `requests`, and how to name it in reports. */
export function selectRequests(selector: CompareSelector, requests: readonly RequestFacts[]): { label: string; requests: RequestFacts[] } {
  if (selector.kind === "range") {
    const label = `${new Date(selector.fromMs).toISOString()} .. ${new Date(selector.toMs).toISOString()}`;
    return { label, requests: requests.filter((r) => r.startMs >= selector.fromMs && r.startMs < selector.toMs) };
  }
  const of = (dimension: "app_version" | "prompt_version") => requests.filter((r) => r.groups[dimension] === selector.value);
  if (selector.dimension !== "either") {
    return { label: `${selector.dimension === "app_version" ? "app" : "prompt"} ${selector.value}`, requests: of(selector.dimension) };
  }
  const app = of("app_version");
  return app.length > 0
    ? { label: `app ${selector.value}`, requests: app }
    : { label: `prompt ${selector.value}`, requests: of("prompt_version") };
}
