import { describe, expect, it } from "vitest";
import { withoutLocalPaths } from "./local-paths";

describe("withoutLocalPaths", () => {
  const root = "/home/ana/rag-agent";

  it("makes paths inside the app relative and hides every other folder", () => {
    expect(withoutLocalPaths("ENOENT: no such file, open '/home/ana/rag-agent/.data/index/docstore.json'", root)).toBe(
      "ENOENT: no such file, open '.data/index/docstore.json'",
    );
    expect(withoutLocalPaths("cannot write /tmp/rag-x1/traces.sqlite: disk full", root)).toBe("cannot write …/traces.sqlite: disk full");
    expect(withoutLocalPaths("at C:\\Users\\ana\\models\\model.gguf", root)).toBe("at …/model.gguf");
  });

  it("leaves URLs, commands and plain text alone", () => {
    const text = "Phoenix at http://127.0.0.1:6006/v1/traces is down; run `npm run models` (3/4 done)";
    expect(withoutLocalPaths(text, root)).toBe(text);
  });
});
