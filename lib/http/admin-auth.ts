import crypto from "node:crypto";
import { AppError } from "../errors";

/**
 * The admin gate of /review, its API and detailed health: `Authorization: Bearer <ADMIN_TOKEN>`. No token
 * configured means review is off (refused, not open); tokens are compared in constant time.
 */
export function requireAdmin(authorization: string | null, adminToken: string | undefined): void {
  if (!adminToken) {
    throw new AppError(
      "review_disabled",
      "Review and the other admin endpoints are disabled on this server: set ADMIN_TOKEN (16+ characters) and restart",
    );
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  if (!match?.[1]) throw new AppError("unauthorized", "Missing admin token: send `Authorization: Bearer <ADMIN_TOKEN>`");
  const digest = (value: string) => crypto.createHash("sha256").update(value).digest();
  if (!crypto.timingSafeEqual(digest(match[1]), digest(adminToken))) throw new AppError("forbidden", "Wrong admin token");
}
