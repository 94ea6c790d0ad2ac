/**
 * Cuts text to at most `max` characters, marking the cut with "…". With `atWord` the cut
 * moves back to the last space when one is close (within the last 40 %), so words stay whole.
 */
export function truncate(text: string, max: number, options: { atWord?: boolean } = {}): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, Math.max(0, max - 1));
  if (!options.atWord) return `${cut}…`;
  const space = cut.lastIndexOf(" ");
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}
