#!/usr/bin/env node
// `npm start` (production build) and `npm run dev` (`--dev`): make a fresh clone ready,
// then serve the app on http://127.0.0.1:3000 (PORT and HOST to change it).
import { ensureBuild, ensureIndex, ensureModels, ensurePackages, run } from "./prepare.mjs";
import { serveCommand } from "./serve-command.mjs";

const dev = process.argv.includes("--dev");
ensurePackages();
ensureModels();
ensureIndex();
if (!dev) ensureBuild();
const serve = serveCommand({ dev, env: process.env });
console.log(`\n▶ Serving on ${serve.url}${serve.loopbackOnly ? " (this machine only; HOST=0.0.0.0 exposes it)" : ""}\n`);
run("npx", serve.args);
