import { ROUTES, type RouteName } from "@/agents/routes/registry";
import type { RoutingReport } from "../../agents/router/routing-metrics";

/** What `npm run eval:routing` and `npm run eval:agent-routing` print alike. */

export const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** A column head of the confusion matrix: route names are too long for a column. */
const short = (route: RouteName) => route.slice(0, 8);

/** The confusion matrix under a title: rows expected, columns predicted. */
export function printConfusion(title: string, confusion: RoutingReport["confusion"]): void {
  console.log(title);
  console.log(`${"".padEnd(22)}${ROUTES.map((route) => short(route).padStart(9)).join("")}`);
  for (const expected of ROUTES) {
    console.log(`${expected.padEnd(22)}${ROUTES.map((predicted) => String(confusion[expected][predicted]).padStart(9)).join("")}`);
  }
}
