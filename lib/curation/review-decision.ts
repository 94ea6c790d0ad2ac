import { z } from "zod";
import { routeNameSchema } from "../datasets/route-name";

/**
 * `POST /api/review/decisions`: what a reviewer decided about one candidate (a production
 * trace from the review queue) or one unreviewed synthetic example. Validated once here; the
 * review service receives a typed decision.
 */

const nonEmpty = z.string().trim().min(1, "must not be empty");
const list = (max: number) => z.array(nonEmpty.max(2_000)).max(max);

/** What the item is expected to do. A production item must name its route (it is what makes the dataset cover every route). */
export const reviewedExpectationSchema = z.strictObject({
  answer: z.string().trim().max(4_000).optional(),
  facts: list(20).optional(),
  docIds: list(10).optional(),
  route: routeNameSchema,
  tests: list(20).optional(),
});

const edits = {
  /** The question, corrected (typos kept on purpose are fine: they are what users send). */
  message: nonEmpty.max(4_000).optional(),
  expected: reviewedExpectationSchema.optional(),
  tags: z
    .array(
      z
        .string()
        .trim()
        .regex(/^[a-z0-9:_-]{1,40}$/, "tags are 1-40 characters of a-z, 0-9, ':', '_' or '-'"),
    )
    .max(20)
    .optional(),
};

const traceId = z.string().regex(/^[0-9a-f]{32}$/, "traceId must be 32 lowercase hex digits");

export const reviewDecisionSchema = z
  .discriminatedUnion("target", [
    z.strictObject({ target: z.literal("production"), traceId, decision: z.enum(["accept", "reject"]), ...edits }),
    z.strictObject({ target: z.literal("synthetic"), itemId: nonEmpty.max(100), decision: z.enum(["accept", "reject"]), ...edits }),
  ])
  .superRefine((value, ctx) => {
    if (value.decision !== "accept") return;
    const expected = value.expected;
    if (value.target === "production" && !expected) {
      ctx.addIssue({
        code: "custom",
        path: ["expected"],
        message: "accepting a production candidate needs `expected` (at least its route)",
      });
      return;
    }
    if (
      expected &&
      !expected.answer &&
      !expected.facts?.length &&
      !expected.docIds?.length &&
      !expected.tests?.length &&
      value.target === "synthetic"
    ) {
      ctx.addIssue({ code: "custom", path: ["expected"], message: "give at least one of answer, facts, docIds or tests" });
    }
  });

export type ReviewDecision = z.infer<typeof reviewDecisionSchema>;

/**
 * The decision schema with `expected.route` limited to the agent's routes: lib/ knows only the
 * shape of a route name, so the API passes the registry's names in.
 */
export function reviewDecisionSchemaFor(routes: readonly string[]) {
  return reviewDecisionSchema.superRefine((value, ctx) => {
    const route = value.expected?.route;
    if (route !== undefined && !routes.includes(route)) {
      ctx.addIssue({ code: "custom", path: ["expected", "route"], message: `unknown route "${route}"; one of ${routes.join(", ")}` });
    }
  });
}
