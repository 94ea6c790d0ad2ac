import { escapeHtml } from "./html-escape";
import { REPORT_CSS } from "./html-styles";

/** Scripts, frames and remote loads are off even if escaping ever missed something. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** The opening of a self-contained report page, up to and including `<body>`: CSP, inline CSS, the escaped title. */
export function reportPageStart(title: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(CONTENT_SECURITY_POLICY)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>`;
}
