import { z } from "zod";

/**
 * A route's name as data carries it (datasets, the review queue, decisions): snake_case.
 * Which routes exist is the agent's business (agents/routes/registry.ts); lib/ only checks
 * the shape, and the layers that know the agent check membership (the dataset integrity
 * tests, the review API).
 */
export const routeNameSchema = z.string().regex(/^[a-z][a-z0-9_]{1,63}$/, "a route name is snake_case, e.g. knowledge_base_search");
