import { AppError } from "@/lib/errors";

/**
 * A small RFC 4180 CSV parser (no dependency has one here): comma-separated fields, fields in
 * double quotes may hold commas, line breaks and doubled quotes (""), CRLF or LF line ends,
 * an optional UTF-8 byte-order mark.
 */

/** All rows, header included. Throws `AppError("bad_request")` on an unterminated quote. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let inQuotes = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRow = () => {
    row.push(field);
    rows.push(row);
    row = [];
    field = "";
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
      } else {
        field += ch;
      }
      i += 1;
      continue;
    }
    if (ch === '"' && field === "") inQuotes = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      endRow();
      if (ch === "\r" && text[i + 1] === "\n") i += 1;
    } else field += ch;
    i += 1;
  }
  if (inQuotes) throw new AppError("bad_request", "CSV: a quoted field is never closed");
  if (field !== "" || row.length > 0) endRow();
  return rows;
}

/** Rows as objects keyed by the header; a row whose field count differs from the header's is an error. */
export function parseCsvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  return rows
    .filter((r) => !(r.length === 1 && r[0] === ""))
    .map((r, index) => {
      if (r.length !== header.length) {
        throw new AppError("bad_request", `CSV: row ${index + 2} has ${r.length} fields, the header has ${header.length}`);
      }
      return Object.fromEntries(header.map((name, j) => [name, r[j]!]));
    });
}
