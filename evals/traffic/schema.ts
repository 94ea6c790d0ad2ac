import { z } from "zod";
import { MAX_MESSAGE_CHARS } from "../../agents/contract";
import { ROUTES } from "@/agents/routes/registry";

/**
 * The format of `evals/traffic/conversations.json`: simulated users (personas), each with
 * sessions of turns that `npm run traffic` plays against a running app. A turn says which
 * route a good agent takes (`route`, for coverage), what the persona checks in the answer
 * (`expect`), and what kind of message it is (`tags`). The persona's feedback habit says how
 * often it clicks 👍/👎 and how it writes comments.
 */

/** What kind of message a turn is; curation and the summary read these. */
export const TURN_TAGS = [
  "paraphrase", // a question the eval datasets ask too, in other words
  "new-question", // a question no dataset asks
  "typo",
  "follow-up", // depends on the earlier turns of the session
  "vague", // makes no sense on its own: the right move is a clarifying question
  "toxic-bait",
  "prompt-injection",
  "off-topic",
  "unanswerable", // the corpus does not say
  "conflict", // an old and a current document disagree
  "near-duplicate", // two documents state the same facts
  "code-tests", // asks for code with tests
] as const;

/** How a persona writes feedback comments. */
export const FEEDBACK_STYLES = ["terse", "polite", "detailed", "rude"] as const;
export type FeedbackStyle = (typeof FEEDBACK_STYLES)[number];

/** Persona ids end up in session ids (`traffic-<persona>-<n>-<run id>`, at most 64 characters). */
export const PERSONA_ID_MAX = 24;

const text = z.string().trim().min(1, "must not be empty");

export const expectationSchema = z
  .strictObject({
    /** The answer contains at least one of these (case, thousands separators and Markdown emphasis ignored). */
    anyOf: z.array(text).min(1).optional(),
    /** The answer contains every one of these. */
    allOf: z.array(text).min(1).optional(),
    /** The answer contains none of these: typically the stale value from an old document. */
    noneOf: z.array(text).min(1).optional(),
    /** The right answer is "I don't know" / "I can't help with that". */
    abstain: z.literal(true).optional(),
    /** The right answer is a clarifying question. */
    clarify: z.literal(true).optional(),
  })
  .refine((e) => Object.keys(e).length > 0, "an expectation needs at least one of anyOf, allOf, noneOf, abstain, clarify")
  .refine((e) => !(e.abstain && e.clarify), "abstain and clarify exclude each other");
export type Expectation = z.infer<typeof expectationSchema>;

export const turnSchema = z.strictObject({
  message: text.max(MAX_MESSAGE_CHARS, `must be at most ${MAX_MESSAGE_CHARS} characters (the chat API's limit)`),
  /** The route a good agent takes for this message. */
  route: z.enum(ROUTES),
  tags: z.array(z.enum(TURN_TAGS)).default([]),
  expect: expectationSchema.optional(),
  /** "never": the persona never rates this answer (whatever the rate). */
  feedback: z.literal("never").optional(),
});
export type Turn = z.infer<typeof turnSchema>;

export const sessionSchema = z.strictObject({
  /** What the session is about, for the plan and the summary. */
  topic: text,
  turns: z.array(turnSchema).min(1, "a session needs at least one turn"),
});

export const feedbackHabitSchema = z.strictObject({
  /** Probability of rating an answer at all, 0 to 1. */
  rate: z.number().min(0).max(1),
  style: z.enum(FEEDBACK_STYLES),
});
export type FeedbackHabit = z.infer<typeof feedbackHabitSchema>;

export const personaSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be kebab-case (a-z, 0-9, '-')")
    .max(PERSONA_ID_MAX, `must be at most ${PERSONA_ID_MAX} characters (it goes into the session id)`),
  name: text,
  description: text,
  feedback: feedbackHabitSchema,
  sessions: z.array(sessionSchema).min(1, "a persona needs at least one session").max(99),
});
export type Persona = z.infer<typeof personaSchema>;

export const conversationsSchema = z
  .strictObject({
    version: z.literal(1),
    description: z.string().optional(),
    personas: z.array(personaSchema).min(1, "at least one persona is needed"),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.personas.forEach((p, i) => {
      if (seen.has(p.id)) ctx.addIssue({ code: "custom", path: ["personas", i, "id"], message: `duplicate persona id "${p.id}"` });
      seen.add(p.id);
    });
  });
export type Conversations = z.infer<typeof conversationsSchema>;
