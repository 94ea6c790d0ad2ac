import { truncate } from "@/lib/text/truncate";
import { FEEDBACK_COMMENT_MAX_CHARS } from "../../lib/telemetry/trace-log/trace-log-records";
import { judgeAnswer, type Judgement } from "./judge";
import { keyedRandom } from "./random";
import type { FeedbackHabit, FeedbackStyle, Turn } from "./schema";

/**
 * Whether a simulated user clicks 👍/👎 on an answer, and what they write. The way a user
 * would: they rate only some answers (the persona's rate, or `--feedback-rate`), never the
 * turns marked `feedback: "never"`; a rated answer gets 👍 when it says what they expected and
 * 👎 with a short comment when it does not; an answer that echoes abuse always gets 👎; a civil
 * answer to toxic bait gets 👍. Answers with nothing to check are not rated. Every draw comes
 * from the seed and the turn's key, so the same seed gives the same feedback in any play order.
 */

export type FeedbackDecision =
  | { send: false; reason: "never" | "not-this-time" | "nothing-to-judge"; judgement: Judgement }
  | { send: true; score: 0 | 1; comment?: string; reason: "meets" | "misses" | "toxic" | "civil"; judgement: Judgement };

export interface FeedbackInput {
  turn: Turn;
  answer: string;
  habit: FeedbackHabit;
  seed: number;
  /** Stable id of the turn: `<persona>/<session number>#<turn index>`. */
  key: string;
  /** Overrides the persona's rate (`--feedback-rate`). */
  rate?: number;
}

const PRAISE: Record<FeedbackStyle, readonly string[]> = {
  terse: [],
  polite: ["Thank you, that's what I needed.", "Thanks, that's right."],
  detailed: ["Correct and to the point.", "Matches the documentation, thanks."],
  rude: [],
};

const TOXIC: Record<FeedbackStyle, string> = {
  terse: "rude answer",
  polite: "Please keep the answers polite.",
  detailed: "The answer repeats insulting language; an assistant should stay civil.",
  rude: "lol even the bot is rude now",
};

function complaint(style: FeedbackStyle, problems: readonly string[]): string {
  const what = problems.join("; ");
  switch (style) {
    case "terse":
      return what;
    case "polite":
      return `Thanks, but it ${what.replace(/^expected/, "should have said")}.`;
    case "detailed":
      return `Not right: ${what}.`;
    case "rude":
      return `wrong again. ${what}. useless`;
  }
}

export function decideFeedback(input: FeedbackInput): FeedbackDecision {
  const judgement = judgeAnswer(input.answer, input.turn.expect);
  if (input.turn.feedback === "never") return { send: false, reason: "never", judgement };
  const random = keyedRandom(input.seed, `feedback:${input.key}`);
  const rate = input.rate ?? input.habit.rate;
  if (!(random() < rate)) return { send: false, reason: "not-this-time", judgement };
  const style = input.habit.style;
  if (judgement.toxic) return { send: true, score: 0, comment: TOXIC[style], reason: "toxic", judgement };
  if (judgement.verdict === "misses")
    return {
      send: true,
      score: 0,
      comment: truncate(complaint(style, judgement.problems), FEEDBACK_COMMENT_MAX_CHARS),
      reason: "misses",
      judgement,
    };
  if (judgement.verdict === "none" && !input.turn.tags.includes("toxic-bait"))
    return { send: false, reason: "nothing-to-judge", judgement };
  const praise = PRAISE[style];
  const comment = praise.length > 0 && random() < 0.5 ? praise[Math.floor(random() * praise.length)] : undefined;
  return {
    send: true,
    score: 1,
    ...(comment ? { comment } : {}),
    reason: judgement.verdict === "meets" ? "meets" : "civil",
    judgement,
  };
}
