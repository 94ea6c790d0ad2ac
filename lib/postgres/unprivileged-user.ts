import { chown, readFile } from "node:fs/promises";
import { AppError } from "../errors";

/**
 * PostgreSQL refuses to run as root (initdb and postgres both exit). Containers and CI often
 * are root, so there the server runs as an existing unprivileged account and owns its data
 * folder; no account is created.
 */
export interface RunAs {
  name: string;
  uid: number;
  gid: number;
}

const CANDIDATES = ["nobody", "postgres"] as const;

function parsePasswd(text: string): Map<string, RunAs> {
  const users = new Map<string, RunAs>();
  for (const line of text.split("\n")) {
    const [name, , uid, gid] = line.split(":");
    if (name && uid && gid && /^\d+$/.test(uid) && /^\d+$/.test(gid)) users.set(name, { name, uid: Number(uid), gid: Number(gid) });
  }
  return users;
}

/** undefined when this process is not root: then the server simply runs as this user. */
export async function unprivilegedUser(): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const users = parsePasswd(await readFile("/etc/passwd", "utf8").catch(() => ""));
  for (const name of CANDIDATES) {
    const user = users.get(name);
    if (user && user.uid !== 0) return user;
  }
  throw new AppError(
    "postgres_start_failed",
    `PostgreSQL cannot run as root, and /etc/passwd has none of ${CANDIDATES.join(", ")} to run it as: run as another user.`,
  );
}

/** Hands a folder to `user` (no-op when not root). */
export async function handOver(dir: string, user: RunAs | undefined): Promise<void> {
  if (user) await chown(dir, user.uid, user.gid);
}
