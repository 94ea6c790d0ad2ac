import type { NextConfig } from "next";
import { PHASE_DEVELOPMENT_SERVER } from "next/constants";
import { securityHeaders } from "./lib/http/security-headers";

export default function nextConfig(phase: string): NextConfig {
  const headers = securityHeaders({ dev: phase === PHASE_DEVELOPMENT_SERVER });
  return {
    // Native addons and packages that load files at run time must be required from
    // node_modules, not bundled. @langchain/core is external too so that the whole
    // server shares one copy of its callback manager (tracing patches that copy).
    serverExternalPackages: ["hnswlib-node", "node-llama-cpp", "@huggingface/transformers", "onnxruntime-node", "@langchain/core"],
    poweredByHeader: false,
    // unauthorized()/forbidden(): /monitor answers 401/403 without the admin token, with a sign-in form.
    experimental: { authInterrupts: true },
    // Pages and API routes alike (an API response can be opened in a tab too).
    headers: () => Promise.resolve([{ source: "/:path*", headers }]),
  };
}
