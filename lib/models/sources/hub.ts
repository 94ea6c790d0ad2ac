import { AppError } from "../../errors";
import { expectedHashes, isSha256, short, type ExpectedHashes } from "../checksum";
import type { HubSource, ModelFile } from "../manifest";
import type { FetchContext, PreparedSource } from "./types";

/**
 * The Hugging Face hub (or any endpoint speaking its `resolve` API, via HF_ENDPOINT): the
 * normal path for users with network access.
 *
 * 1. `HEAD <endpoint>/<repo>/resolve/<revision>/<path>` without following redirects,
 *    under `AbortSignal.timeout(HF_TIMEOUT_MS)`. This is the fail-fast probe: with no
 *    network it fails in well under the timeout and the run moves on to the next source
 *    (and skips the hub for the remaining files). For LFS files the answer carries
 *    `x-linked-etag` (the file's sha256) and `x-linked-size`.
 * 2. `GET` the same URL, following redirects to the CDN, streaming the body; the request
 *    is aborted if no headers come within HF_TIMEOUT_MS or the body stalls for longer
 *    than `max(HF_TIMEOUT_MS, 30 s)`. A whole-request timeout would kill slow but healthy
 *    downloads of big files, hence the idle watchdog.
 *
 * Verification: the file's pinned hashes if the manifest has them (and the probe fails
 * early if the hub publishes another hash); otherwise the hub's LFS sha256, which the
 * orchestrator then records in the lock file.
 */
export function hubUrl(endpoint: string, hub: HubSource): string {
  const filePath = hub.path.split("/").map(encodeURIComponent).join("/");
  return `${endpoint}/${hub.repo}/resolve/${encodeURIComponent(hub.revision)}/${filePath}`;
}

export async function prepareHub(file: ModelFile, ctx: FetchContext): Promise<PreparedSource> {
  const hub = file.hub;
  if (!hub) throw new AppError("model_missing", "not published on the hub");
  if (ctx.hubDown) throw new AppError("model_download_failed", `skipped (unreachable earlier in this run: ${ctx.hubDown})`);
  const url = hubUrl(ctx.models.hfEndpoint, hub);
  const timeoutMs = ctx.models.hfTimeoutMs;

  let head: Response;
  try {
    const timeout = AbortSignal.timeout(timeoutMs);
    head = await fetch(url, {
      method: "HEAD",
      redirect: "manual",
      signal: ctx.signal ? AbortSignal.any([ctx.signal, timeout]) : timeout,
    });
  } catch (error) {
    if (ctx.signal?.aborted) throw error;
    const reason = networkReason(error, timeoutMs);
    ctx.hubDown = reason;
    throw new AppError("model_download_failed", `unreachable (${reason}) at ${url}`, { cause: error });
  }
  if (head.status >= 400) {
    throw new AppError(head.status === 404 ? "model_missing" : "model_download_failed", `HTTP ${head.status} for ${url}`);
  }

  const lfsSha = (head.headers.get("x-linked-etag") ?? "").replace(/^W\//, "").replace(/"/g, "").toLowerCase();
  const published = isSha256(lfsSha) ? lfsSha : undefined;
  const sizeHeader = head.headers.get("x-linked-size") ?? head.headers.get("content-length");
  const totalBytes = sizeHeader && /^\d+$/.test(sizeHeader) && Number(sizeHeader) > 0 ? Number(sizeHeader) : undefined;

  let expected: ExpectedHashes;
  if (hub.pinned && hub.pinned.length > 0) {
    const pinned = hub.pinned.map((h) => h.sha256);
    if (published && !pinned.includes(published)) {
      throw new AppError(
        "model_checksum_mismatch",
        `the hub publishes sha256 ${short(published)}, expected ${pinned.map(short).join(" or ")}: the file changed upstream`,
      );
    }
    expected = expectedHashes(pinned, "pinned hashes");
  } else if (published) {
    expected = expectedHashes([published], "sha256 published by the hub");
  } else {
    throw new AppError(
      "model_checksum_mismatch",
      `the hub publishes no sha256 for ${url} and none is pinned; refusing an unverifiable download`,
    );
  }

  return {
    kind: "hub",
    from: url,
    expected,
    totalBytes,
    chunks: () => download(url, timeoutMs, Math.max(timeoutMs, 30_000), ctx.signal),
  };
}

async function* download(url: string, headersMs: number, idleMs: number, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  let timer = setTimeout(() => controller.abort(new Error(`no response within ${headersMs} ms`)), headersMs);
  const kick = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new Error(`download stalled: no data for ${idleMs} ms`)), idleMs);
  };
  try {
    let response: Response;
    try {
      response = await fetch(url, { redirect: "follow", signal: controller.signal });
    } catch (error) {
      throw new AppError("model_download_failed", `GET ${url} failed (${networkReason(error, headersMs)})`, {
        cause: error,
      });
    }
    if (!response.ok || !response.body) {
      throw new AppError("model_download_failed", `HTTP ${response.status} for GET ${url}`);
    }
    const reader = response.body.getReader();
    try {
      for (;;) {
        kick();
        const { done, value } = await reader.read();
        if (done) break;
        yield value;
      }
    } catch (error) {
      if (error instanceof AppError) throw error;
      const reason = controller.signal.reason instanceof Error ? controller.signal.reason.message : networkReason(error, idleMs);
      throw new AppError("model_download_failed", `download of ${url} broke off (${reason})`, { cause: error });
    }
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
    controller.abort();
  }
}

/** A short, human reason for a failed fetch: the socket error code when there is one. */
export function networkReason(error: unknown, timeoutMs: number): string {
  if (error instanceof Error) {
    if (error.name === "TimeoutError") return `no answer within ${timeoutMs} ms`;
    const cause = error.cause;
    if (cause && typeof cause === "object") {
      const code = "code" in cause ? String(cause.code) : undefined;
      const message = "message" in cause ? String(cause.message) : undefined;
      if (code && message) return message.includes(code) ? message : `${code}: ${message}`;
      if (code) return code;
      if (message) return message;
    }
    return error.message;
  }
  return String(error);
}
