"use client";

import { useCallback, useEffect, useState, useSyncExternalStore } from "react";
import { appErrorOf, type ShownError } from "@/app/_lib/api-error";
import type { ReviewListingBody } from "./review-types";

export type Decision = Record<string, unknown>;
export type OnDecide = (decision: Decision, label: string) => Promise<void>;

/** The admin token lives in this tab's session storage; the hook reads it as an external store. */
const TOKEN_KEY = "review-admin-token";
const tokenListeners = new Set<() => void>();
const readToken = () => sessionStorage.getItem(TOKEN_KEY);
const noTokenOnServer = () => null;

function subscribeToToken(listener: () => void): () => void {
  tokenListeners.add(listener);
  return () => tokenListeners.delete(listener);
}

function writeToken(value: string | null): void {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
  for (const listener of tokenListeners) listener();
}

/** The review API refused or failed a call; `refusedToken` when what it refused was the admin token. */
class ReviewCallError extends Error {
  constructor(
    readonly shown: ShownError,
    readonly refusedToken: boolean,
  ) {
    super(shown.message);
  }
}

/** One review API call with the admin token. */
async function callReviewApi(token: string | null, method: "GET" | "POST", url: string, body?: Decision): Promise<unknown> {
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token ?? ""}`, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (response.ok) return response.json().catch(() => ({}));
  const shown = (await appErrorOf(response)) ?? { code: `${response.status}`, message: response.statusText };
  throw new ReviewCallError(shown, response.status === 401 || response.status === 403);
}

/** Shows a failed call; a refused token is then forgotten, so the page asks for it again. */
function useFailure() {
  const [error, setError] = useState<ShownError | null>(null);
  const fail = useCallback((e: unknown) => {
    if (e instanceof ReviewCallError) {
      setError(e.shown);
      if (e.refusedToken) writeToken(null);
    } else {
      // fetch() rejects with a TypeError when the server cannot be reached at all.
      setError({ code: "network_error", message: e instanceof Error ? e.message : String(e) });
    }
  }, []);
  return { error, fail, clear: useCallback(() => setError(null), []) };
}

/** The admin token (kept for this browser tab only) and the review API calls that use it. */
export function useReviewApi() {
  const token = useSyncExternalStore(subscribeToToken, readToken, noTokenOnServer);
  const [listing, setListing] = useState<ReviewListingBody | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { error, fail, clear } = useFailure();
  // Bumped after each decision, so the listing is read again.
  const [decisions, setDecisions] = useState(0);

  useEffect(() => {
    if (!token) return;
    let current = true;
    callReviewApi(token, "GET", "/api/review/queue").then(
      (body) => {
        if (!current) return;
        setListing(body as ReviewListingBody);
        clear();
      },
      (e: unknown) => {
        if (current) fail(e);
      },
    );
    return () => {
      current = false;
    };
  }, [token, decisions, fail, clear]);

  const decide = useCallback<OnDecide>(
    async (decision, label) => {
      try {
        await callReviewApi(token, "POST", "/api/review/decisions", decision);
        setNotice(label);
        clear();
        setDecisions((n) => n + 1);
      } catch (e) {
        fail(e);
      }
    },
    [token, fail, clear],
  );

  return { token, setToken: writeToken, listing, error, notice, decide };
}
