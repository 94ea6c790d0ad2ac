/**
 * The routes the agent can take for a user message. The order is the canonical order
 * used in reports and prompts; it carries no priority.
 */
export const ROUTES = ["knowledge_base_search", "sales_query", "calculator", "run_code", "ask_followup"] as const;

export type RouteName = (typeof ROUTES)[number];

export function isRouteName(value: string): value is RouteName {
  return (ROUTES as readonly string[]).includes(value);
}
