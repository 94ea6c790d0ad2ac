/**
 * The app's own span attribute and annotation names, beside OpenInference's
 * (`@arizeai/openinference-semantic-conventions`): written by the agent, read by curation,
 * monitoring and the evals. One constant per name, so a rename cannot split writer and reader.
 */
export const AppAttributes = {
  /** On the root `chat` span: the route the agent took. */
  AGENT_ROUTE: "agent.route",
  /** On the root span: how many steps the run streamed. */
  AGENT_STEPS: "agent.steps",
  /** On the root span: JSON `{ <prompt name>: <version> }` of every prompt the request used. */
  AGENT_PROMPTS: "agent.prompts",
  /** On the `route` span: the decision and what it was taken on. */
  ROUTE_CHOSEN: "agent.route.chosen",
  ROUTE_METHOD: "agent.route.method",
  ROUTE_CONFIDENCE: "agent.route.confidence",
  ROUTE_LLM_CONSULTED: "agent.route.llm_consulted",
  ROUTE_LLM_CHOICE: "agent.route.llm_choice",
  ROUTE_CANDIDATES: "agent.route.candidates",
  ROUTE_FUSED: "agent.route.fused",
  ROUTE_REASON: "agent.route.reason",
  ROUTE_PLAN: "agent.route.plan",
  /** On the `route` span, when no route is for the message: "small_talk" or "off_topic", and by how much. */
  ROUTE_SCOPE: "agent.route.scope",
  ROUTE_SCOPE_MARGIN: "agent.route.scope_margin",
  /** On the `query_rewrite` span: whether the follow-up was merged into the previous question. */
  QUERY_REWRITTEN: "agent.query.rewritten",
  /**
   * On a span whose `output.value` is made of the user's words (the rewritten query): the output
   * is hidden with the inputs too (OPENINFERENCE_HIDE_INPUTS), not only with the outputs.
   */
  OUTPUT_QUOTES_INPUT: "app.output_quotes_input",
  /** On `postprocess`: whether the model's sentence was kept after the check against the data. */
  ANSWER_MODEL_SENTENCE_KEPT: "answer.model_sentence_kept",
  /** On `postprocess` of a knowledge-base answer: the guard's verdict (supported, repaired, abstained), why, and how many claims failed. */
  ANSWER_GUARD_VERDICT: "answer.guard.verdict",
  ANSWER_GUARD_REASON: "answer.guard.reason",
  ANSWER_GUARD_UNSUPPORTED: "answer.guard.unsupported_count",
  /** On LLM spans: the version of the price table `llm.cost.*` was computed with. */
  PRICE_TABLE_VERSION: "llm.cost.price_table_version",
} as const;

/** Names of the online evaluation annotations (trace log and Phoenix span annotations). */
export const OnlineAnnotations = {
  CLAIMS: "online.claims",
  RETRIEVAL_RELEVANCE: "online.retrieval_relevance",
  ROUTE_CONFIDENCE: "online.route_confidence",
  /** The answer guard's verdict (agents/answer/answer-guard.ts): 1 shown as generated, 0 repaired or abstained. */
  ANSWER_CHECK: "online.answer_check",
} as const;

/** Who made an annotation, in OpenInference's and Phoenix's words (trace log and Phoenix alike). */
export const ANNOTATOR_KINDS = ["HUMAN", "LLM", "CODE"] as const;
export type AnnotatorKind = (typeof ANNOTATOR_KINDS)[number];
