import { z } from "zod";
import { streamText } from "../answer/stream-answer";
import { createKnowledgeBaseSearchTool } from "../tools/knowledge-base-search";
import { parseToolOutput } from "./parse-output";
import { defineRoute, type PlanInput, type PlannedCall } from "./route";

const NAME = "knowledge_base_search";

// Loose: fields a store adds (metadata) travel on to the sources untouched.
const scoredChunkSchema = z.looseObject({
  id: z.string(),
  docId: z.string(),
  title: z.string(),
  topic: z.string(),
  text: z.string(),
  start: z.number(),
  end: z.number(),
  score: z.number(),
});
const observationSchema = z.object({ chunks: z.array(scoredChunkSchema) });

/** The search the router, a follow-up or a sales total asks for: the message, widened by the previous question (the tool reads it from the conversation). */
export function knowledgeBaseCall(input: Pick<PlanInput, "message" | "history">): PlannedCall {
  const followUp = input.history.length > 0;
  return { tool: NAME, args: followUp ? { query: input.message, followUp } : { query: input.message }, argsFrom: "rule" };
}

/**
 * Documents: specs, prices, policies, procedures, the handbook and what the sales reports say.
 * The answer comes from evidence sentences of the retrieved chunks (see ../answer/grounded-answer.ts).
 */
export const knowledgeBaseRoute = defineRoute({
  name: NAME,
  label: "the knowledge base search",
  description:
    "Answer from ACME's documents: product specs, list prices, discounts, policies (returns, warranty, shipping, privacy), support procedures and error codes, API docs, the HR handbook, and what the narrative sales reports say.",
  examples: [
    "How much does the TrackPoint T5 cost?",
    "What is the list price of the SkyHook S10 drone?",
    "what are the specs of the roadrunner r100",
    "What's the top speed of the R200?",
    "How long does a PowerCell P3 take to charge?",
    "What is your returns policy?",
    "Can I get a refund on a Coyote Cloud subscription?",
    "What does the warranty cover on the Roadrunner robots?",
    "how do i file a warranty claim",
    "How long does shipping to Europe take?",
    "What does the privacy policy say about customer data?",
    "How do I authenticate against the Fleet API?",
    "What happens when I go over the API rate limit?",
    "how do I get started with the SDK",
    "What do the incident severity levels mean?",
    "How are firmware updates released?",
    "My Anvil gateway went offline, how do I bring it back?",
    "I'm locked out of my account after too many login attempts",
    "What are the support SLA response times for premium customers?",
    "What's included in an ACME Care plan?",
    "Are there volume discounts for big orders?",
    "What does the partner program offer resellers?",
    "How much vacation do employees get each year?",
    "Can I carry unused PTO over into next year?",
    "What's the expense policy for client dinners?",
    "Which health benefits does ACME offer?",
    "When do performance reviews happen?",
    "What should a new hire do in their first week?",
    "What does the quarterly sales report say about the outlook?",
    "What were the highlights in the annual sales report?",
    "How is the sales commission plan structured?",
    "How do I report a security vulnerability?",
    "Are there export restrictions on shipping drones abroad?",
    "Which Coyote Cloud plans are there and what do they include?",
    "What counts as prohibited use of Coyote Cloud?",
    "How long do you keep telemetry data from the robots?",
    "Does the PowerCell P3 fit the Roadrunner R200?",
    "Give me an overview of ACME's product catalog",
    "Who is the account manager for the APAC territory?",
    "What does error code E-301 mean on a Roadrunner and how do I fix it?",
    "The drone's IMU needs calibration, what are the steps?",
    "What's the phone number for ACME support?",
    "How do I activate a new TrackPoint tracker?",
    "Can I work remotely full time?",
    "What class can I book for flights on business trips?",
    "What's in the employee handbook?",
    "Does a quote include installation and training?",
    "What's the pricing for universities?",
    "How do I subscribe to webhook events?",
  ],
  createTool: (resources) => createKnowledgeBaseSearchTool({ retriever: resources.retriever, k: resources.k }),
  planArguments: knowledgeBaseCall,
  readOutput(output) {
    const { chunks } = parseToolOutput(observationSchema, output, "the knowledge base");
    return {
      summary: chunks.map((c) => `${c.id} (${c.score.toFixed(3)})`).join(", ") || "no matching chunks",
      passages: chunks,
      answer: (context) =>
        chunks.length > 0
          ? context.answerFromPassages()
          : Promise.resolve(streamText("I couldn't find anything about that in the knowledge base.", context.out)),
    };
  },
});
