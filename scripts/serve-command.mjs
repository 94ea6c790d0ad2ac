// The `next` command `npm start` / `npm run dev` runs, and the address it announces. Loopback
// unless HOST says otherwise: the API has no authentication, so exposing it is a choice made on
// purpose (and then behind a reverse proxy with TLS and access control; see the README).

/** @param {{ dev: boolean, env: Record<string, string | undefined> }} options @returns {import("./serve-command.d.mts").ServeCommand} */
export function serveCommand({ dev, env }) {
  const port = env.PORT ?? "3000";
  const host = env.HOST ?? "127.0.0.1";
  const shown = host.includes(":") ? `[${host}]` : host;
  return {
    args: ["next", dev ? "dev" : "start", "-H", host, "-p", port],
    url: `http://${shown}:${port}`,
    loopbackOnly: host === "127.0.0.1" || host === "::1" || host === "localhost",
  };
}
