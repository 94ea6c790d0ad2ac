import { splitSentences } from "./sentences";

/**
 * The quotable pieces of a Markdown chunk, each readable on its own. A sentence split alone
 * hands the answer step a heading ("Key specifications"), a FAQ question without its answer
 * ("How long is a quote valid?") or a table row without its header ("| S1 | 8 business hours
 * | …"): they match the question best and answer nothing. Here headings and FAQ questions
 * become the context of what follows, and table rows are written out against their header.
 */
export interface EvidenceUnit {
  /** The piece as it can be quoted: a sentence, a list item, a table row with its header. */
  text: string;
  /** The nearest heading above it (for a FAQ, the question it answers); "" when none. */
  context: string;
}

const HEADING = /^#{1,6}\s+(.*)$/;
const TABLE_ROW = /^\|.*\|$/;
const TABLE_SEPARATOR = /^\|?\s*:?-{3,}/;
const LIST_ITEM = /^(?:[-*+]|\d+[.)])\s+(.*)$/;

/** Removes inline Markdown that reads as noise in a quote: bold, italics, code ticks, links. */
export function plainMarkdown(text: string): string {
  return text
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/(\*\*|__)(.+?)\1/g, "$2")
    .replace(/`([^`]+)`/g, "$1")
    .replace(/(^|\s)[*_]([^*_\s][^*_]*?)[*_](?=\s|[.,;:!?]|$)/g, "$1$2")
    .trim();
}

function cells(row: string): string[] {
  return row
    .replace(/^\||\|$/g, "")
    .split("|")
    .map((cell) => plainMarkdown(cell.trim()));
}

/** "| S1 | 8 business hours |" under "| Severity | Basic |" → "Severity S1: Basic 8 business hours". */
function tableRowText(row: string[], header: string[] | undefined): string {
  if (!header || header.length !== row.length) return row.filter(Boolean).join(" | ");
  const [label = "", ...values] = row;
  const name = `${header[0] ? `${header[0]} ` : ""}${label}`.trim();
  const pairs = values.map((value, i) => `${header[i + 1] ?? ""} ${value}`.trim()).filter(Boolean);
  return `${name}: ${pairs.join("; ")}`;
}

/** Splits a chunk into evidence units (see EvidenceUnit); pieces shorter than `minChars` are dropped. */
export function evidenceUnits(chunkText: string, minChars = 20): EvidenceUnit[] {
  const units: EvidenceUnit[] = [];
  let context = "";
  let header: string[] | undefined;
  const lines = chunkText.split("\n").map((line) => line.trim());
  lines.forEach((line, i) => {
    if (line === "") return;
    const heading = HEADING.exec(line);
    if (heading) {
      context = plainMarkdown(heading[1] ?? "");
      header = undefined;
      return;
    }
    if (TABLE_SEPARATOR.test(line)) return;
    if (TABLE_ROW.test(line)) {
      const row = cells(line);
      // A row followed by the separator is the header.
      if (TABLE_SEPARATOR.test(lines[i + 1] ?? "")) header = row;
      else units.push({ text: tableRowText(row, header), context });
      return;
    }
    header = undefined;
    // A question on a line of its own ("**Can I return opened items?**") heads its answer.
    if (/\?\**$/.test(line) && !/[.!?]\s+\S/.test(line.slice(0, -2))) {
      context = plainMarkdown(line);
      return;
    }
    const item = LIST_ITEM.exec(line);
    const pieces = item ? [plainMarkdown(item[1] ?? "")] : splitSentences(plainMarkdown(line), 1);
    for (const text of pieces) units.push({ text, context });
  });
  return units.filter((unit) => unit.text.length >= minChars);
}
