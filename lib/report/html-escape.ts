/**
 * Escaping for the HTML reports (eval, compare). Everything in a result is untrusted: answers come from a
 * model, inputs from dataset files that deliberately hold prompt injections and `<script>` tags.
 */

const HTML_ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** NUL is a parse error and ESC sequences are noise in a page: control characters other than tab/LF/CR go. */
// eslint-disable-next-line no-control-regex -- matching control characters is this regex's job
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** Safe both as element text and inside a quoted attribute value. */
export function escapeHtml(value: string | number | boolean): string {
  return String(value)
    .replace(CONTROL_CHARS, "")
    .replace(/[&<>"']/g, (ch) => HTML_ENTITIES[ch]!);
}

/**
 * The URL itself when it is an absolute http(s) URL, otherwise undefined. A trace URL comes from
 * settings, but a `javascript:` or `data:` href would run in the reader's browser, so only
 * http(s) ever becomes a link.
 */
export function httpUrlOrUndefined(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** A link when the URL is http(s), otherwise the label as plain text. */
export function safeLink(url: string | undefined, label: string): string {
  const href = httpUrlOrUndefined(url);
  if (href === undefined) return escapeHtml(label);
  return `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${escapeHtml(label)}</a>`;
}

/** `href` to an element whose id is `id` (percent-encoded: ids come from dataset files). */
export function fragmentHref(id: string): string {
  return `#${escapeHtml(encodeURIComponent(id))}`;
}
