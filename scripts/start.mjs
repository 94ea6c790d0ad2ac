#!/usr/bin/env node
// `npm start` (production build) and `npm run dev` (`--dev`): make a fresh clone ready,
// then serve the app on http://localhost:3000 (PORT to change it).
import { ensureBuild, ensureIndex, ensureModels, ensurePackages, run } from "./prepare.mjs";

const dev = process.argv.includes("--dev");
ensurePackages();
ensureModels();
ensureIndex();
if (!dev) ensureBuild();
const port = process.env.PORT ?? "3000";
console.log(`\n▶ Serving on http://localhost:${port}\n`);
run("npx", ["next", dev ? "dev" : "start", "-p", port]);
