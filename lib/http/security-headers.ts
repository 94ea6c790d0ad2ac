/**
 * Response headers for every page and API route (OWASP's secure-headers baseline).
 *
 * Scripts and styles are limited to the app's own origin. Next.js inlines its hydration data
 * as scripts, so 'unsafe-inline' stays for scripts until the app renders per request with a
 * nonce; the dev server also evaluates code ('unsafe-eval') and opens a websocket for hot reload.
 * `frame-ancestors 'none'` and X-Frame-Options keep the app out of other sites' frames
 * (clickjacking the 👍/👎 and review buttons).
 */
export interface HeaderEntry {
  key: string;
  value: string;
}

export function contentSecurityPolicy(options: { dev: boolean }): string {
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'", ...(options.dev ? ["'unsafe-eval'"] : [])],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'", ...(options.dev ? ["ws:"] : [])],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(" ")}`)
    .join("; ");
}

export function securityHeaders(options: { dev: boolean }): HeaderEntry[] {
  return [
    { key: "Content-Security-Policy", value: contentSecurityPolicy(options) },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "Referrer-Policy", value: "no-referrer" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
  ];
}
