import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native addons and packages that load files at run time must be required from
  // node_modules, not bundled. @langchain/core is external too so that the whole
  // server shares one copy of its callback manager (tracing patches that copy).
  serverExternalPackages: ["hnswlib-node", "node-llama-cpp", "@huggingface/transformers", "onnxruntime-node", "@langchain/core"],
  poweredByHeader: false,
};

export default nextConfig;
