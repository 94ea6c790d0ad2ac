"use client";

import { useCallback, useEffect, useState } from "react";
import type { ReviewListingBody } from "./review-types";

const TOKEN_KEY = "review-admin-token";

export type Decision = Record<string, unknown>;

interface ApiError {
  code: string;
  message: string;
}

/** The admin token (kept for this browser tab only) and the review API calls that use it. */
export function useReviewApi() {
  const [token, setTokenState] = useState<string | null>(null);
  const [listing, setListing] = useState<ReviewListingBody | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => setTokenState(sessionStorage.getItem(TOKEN_KEY)), []);

  const setToken = useCallback((value: string | null) => {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
    setTokenState(value);
  }, []);

  const call = useCallback(
    async (method: "GET" | "POST", url: string, body?: Decision): Promise<unknown> => {
      const response = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${token ?? ""}`, ...(body ? { "content-type": "application/json" } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      const json: unknown = await response.json().catch(() => ({}));
      if (!response.ok) {
        const e = (json as { error?: ApiError }).error ?? { code: String(response.status), message: response.statusText };
        if (response.status === 401 || response.status === 403) setToken(null);
        throw e;
      }
      return json;
    },
    [token, setToken],
  );

  const reload = useCallback(async () => {
    try {
      setListing((await call("GET", "/api/review/queue")) as ReviewListingBody);
      setError(null);
    } catch (e) {
      setError(e as ApiError);
    }
  }, [call]);

  useEffect(() => {
    if (token) void reload();
  }, [token, reload]);

  const decide = useCallback(
    async (decision: Decision, label: string) => {
      try {
        await call("POST", "/api/review/decisions", decision);
        setNotice(label);
        setError(null);
        await reload();
      } catch (e) {
        setError(e as ApiError);
      }
    },
    [call, reload],
  );

  return { token, setToken, listing, error, notice, decide };
}
