/**
 * Where a cheap, label-free quality signal on a production answer says "look at this one". The
 * online evaluation labels its scores with these (agents/online-eval.ts) and curation proposes
 * traces below them for review (evals/curation). Measured with the real embedding model, the
 * real index and router on evals/datasets (manual.jsonl + routing.jsonl) — the same values the
 * agent records on its traces (`agent.route.confidence`, `retrieval.documents.N.document.score`).
 */

/**
 * Top retrieved chunk's cosine similarity below which the knowledge base probably holds nothing
 * on the question. Answerable manual questions whose documents were retrieved: top score min
 * 0.31, p5 0.42, median 0.63 (67 questions); off-topic questions (weather, poems, football,
 * capitals, "tell me more"): 0.10–0.28. At 0.35, 1 of 67 answerable questions is flagged and
 * every off-topic one. In-corpus questions the corpus cannot answer score like answerable ones
 * (median 0.55): no similarity threshold separates those; the claim check and feedback do.
 * On real traces: 1 of 15 searches of an `npm run eval -- --ci` run, 4 of 28 of 42 turns of
 * the (deliberately hard) traffic personas.
 */
export const RETRIEVAL_TOP_SCORE_LOW = 0.35;

/**
 * Semantic router confidence below which the route is doubtful. On 285 labelled first-turn
 * messages the router misroutes 18 (6.3%); their confidence median is 0.70 against 0.96 for
 * the right ones. Below 0.6 sit 7.4% of messages and 38% of them are misrouted (6x the base
 * rate); below 0.7, 11.6% of messages with 27% misrouted; below 0.9 (where the agent already
 * asks the model), a third of all traffic. 0.6 keeps the review load small and worth reading.
 * On real traces: 3 of 30 in an `npm run eval -- --ci` run; 11 of 42 turns of the traffic
 * personas, whose typos, follow-ups and off-topic asks are built to confuse the router.
 */
export const ROUTE_CONFIDENCE_LOW = 0.6;
