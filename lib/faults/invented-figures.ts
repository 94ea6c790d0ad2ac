import { activeFaults } from "./fault-context";

/** A claim no ACME document makes: a price and a delivery time out of thin air. */
export const INVENTED_CLAIM = "It costs $987,654 and ships within 97 days.";

/**
 * `answers=invent`: the model's draft with an invented claim added, as a hallucinating model
 * would write it. Turns that did not ask for it get the draft unchanged. It exists to prove
 * that the answer guard keeps such text from users and that monitoring counts it.
 */
export function withInventedFigures(draft: string): string {
  return activeFaults()?.inventFigures ? `${draft.trim()} ${INVENTED_CLAIM}` : draft;
}
