import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { repositoryFolders, staleReferences } from "./readme-references";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));

/** README.md and CONTRIBUTING.md at the top, and every folder's README.md. */
function documents(root: string): string[] {
  const top = ["README.md", "CONTRIBUTING.md"].filter((file) => fs.existsSync(path.join(root, file)));
  const nested = [...repositoryFolders(root)].flatMap((folder) =>
    (fs.readdirSync(path.join(root, folder), { recursive: true }) as string[])
      .filter((file) => path.basename(file) === "README.md")
      .map((file) => `${folder}/${file.split(path.sep).join("/")}`),
  );
  return [...top, ...nested.sort()];
}

describe("README references", () => {
  it.each(documents(repoRoot))("%s names only npm scripts and repository paths that exist", (document) => {
    expect(staleReferences(repoRoot, document)).toEqual([]);
  });
});

describe("staleReferences", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("finds missing scripts and paths, and leaves relative names, generated folders, placeholders and code blocks alone", () => {
    const root = (dir = fs.mkdtempSync(path.join(os.tmpdir(), "readme-check-")));
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    };
    write("package.json", JSON.stringify({ scripts: { test: "vitest", eval: "tsx scripts/eval.ts" } }));
    write(".gitignore", "/reports/\n.data/\n");
    write("lib/config.ts", "");
    write("docs/guide.md", "");
    fs.mkdirSync(path.join(root, "reports"));
    write(
      "README.md",
      [
        "Run `npm test`, `npm run eval -- --ci` and `npm run evaluate`; `npm start` too.", // 4: evaluate, start
        "Settings in `lib/config.ts` and `lib/gone.ts`; the routes `api/chat` (relative to app/).", // gone
        "Reports land in `reports/<run-id>/report.html` and `.data/traces.sqlite`; see `lib/*.ts`.",
        "A ```` ```python ```` block, then `npx tsx lib/missing-script.ts --flag`.", // missing-script
        "Links: [guide](docs/guide.md#setup), [old](docs/old.md), [site](https://example.com/lib/x.ts).", // old
        "```bash",
        "cat lib/in-a-code-block.ts",
        "```",
        "Under a code block: `lib/after-block.ts`.", // after-block
      ].join("\n"),
    );
    expect(staleReferences(root, "README.md")).toEqual([
      { where: "README.md:1", problem: '`npm run evaluate`: no "evaluate" script in package.json' },
      { where: "README.md:1", problem: '`npm start`: no "start" script in package.json' },
      { where: "README.md:2", problem: "lib/gone.ts does not exist" },
      { where: "README.md:4", problem: "lib/missing-script.ts does not exist" },
      { where: "README.md:9", problem: "lib/after-block.ts does not exist" },
      { where: "README.md:5", problem: "docs/old.md does not exist" },
    ]);
  });
});
