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

/**
 * Embedding similarity (all-MiniLM-L6-v2, one word each) at which a passage word counts as
 * naming a question's noun in other words (lib/quality/unmentioned-subjects.ts): "food" and
 * "meal" 0.80, "trip" and "travel" 0.80, "network" and "connectivity" 0.76, while a noun no
 * passage is about finds only loose neighbours ("jury" and "law" 0.50, "wheelchair" and
 * "operating" 0.34). Chosen with EVIDENCE_SCORE_CONFIDENT on the dev split, `npm run
 * eval:abstention -- --sweep` (34 unanswerable and 72 answerable knowledge-base questions,
 * follow-ups included: the probes, manual and production): without the signal 15 declined and
 * 4 false abstentions; at (0.6, 0.7) 26 and 5; at (0.6, 0.75) 28 and 6; with no evidence bar
 * 28 and 12. The pair with one added false abstention was taken: a wrongly declined answer
 * costs the user the answer, while an invented one still meets the answer check after
 * generation.
 */
export const SUBJECT_SIMILARITY_MIN = 0.6;

/**
 * Best evidence-unit score (cosine plus the lexical bonus, agents/evidence.ts) from which the
 * evidence answers the question well enough that a noun the passages do not name is taken for
 * a paraphrase ("summary", "protocols" for SAML and OpenID) rather than a missing subject.
 * Chosen with SUBJECT_SIMILARITY_MIN, above.
 */
export const EVIDENCE_SCORE_CONFIDENT = 0.7;
