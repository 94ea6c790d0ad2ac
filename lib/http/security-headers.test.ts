import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, securityHeaders } from "./security-headers";

function directives(policy: string): Map<string, string[]> {
  return new Map(policy.split("; ").map((d) => [d.split(" ")[0]!, d.split(" ").slice(1)]));
}

describe("securityHeaders", () => {
  it("forbids framing, sniffing, referrers and foreign scripts in production", () => {
    const csp = directives(contentSecurityPolicy({ dev: false }));
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("script-src")).not.toContain("'unsafe-eval'");
    expect(csp.get("connect-src")).toEqual(["'self'"]);
    const byKey = Object.fromEntries(securityHeaders({ dev: false }).map((h) => [h.key, h.value]));
    expect(byKey).toMatchObject({ "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer" });
  });

  it("lets the dev server evaluate code and open its hot-reload socket", () => {
    const csp = directives(contentSecurityPolicy({ dev: true }));
    expect(csp.get("script-src")).toContain("'unsafe-eval'");
    expect(csp.get("connect-src")).toContain("ws:");
  });
});
