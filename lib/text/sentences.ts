/**
 * Splits Markdown-ish prose into sentence-sized pieces: one per line (list items,
 * headings and table rows are lines already), then at sentence ends followed by a
 * capital. Table separators and fragments too short to carry a fact are dropped.
 */
export function splitSentences(text: string, minChars = 20): string[] {
  return text
    .split(/\n+/)
    .flatMap((line) => line.split(/(?<=[.!?])\s+(?=[A-Z])/))
    .map((piece) => piece.replace(/^[-*#>\s]+/, "").trim())
    .filter((piece) => piece.length >= minChars && !/^\|?\s*:?-{3}/.test(piece));
}
