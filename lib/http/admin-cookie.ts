import { requireAdmin } from "./admin-auth";

/**
 * The admin token for pages a browser opens (/monitor): a browser cannot send a bearer header
 * on navigation, so the token typed into the sign-in form is kept in an HttpOnly, SameSite=Strict
 * cookie and checked on every request exactly like the header (requireAdmin).
 */

export const ADMIN_COOKIE = "admin_token";
const MAX_AGE_S = 8 * 3600;

/** Throws as requireAdmin does: unauthorized without a cookie, forbidden for a wrong token or none configured. */
export function requireAdminCookie(cookieValue: string | undefined, adminToken: string | undefined): void {
  requireAdmin(cookieValue ? `Bearer ${cookieValue}` : null, adminToken);
}

/** `Set-Cookie` for a sign-in (a token) or a sign-out (empty). Secure over https only: the app also runs on plain localhost. */
export function adminCookieHeader(token: string, secure: boolean): string {
  const attributes = ["Path=/", "HttpOnly", "SameSite=Strict", ...(secure ? ["Secure"] : [])];
  const value = token === "" ? `${ADMIN_COOKIE}=; Max-Age=0` : `${ADMIN_COOKIE}=${encodeURIComponent(token)}; Max-Age=${MAX_AGE_S}`;
  return [value, ...attributes].join("; ");
}
