import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { spawnServer } from "@/lib/telemetry/server-process";

/** The header the balancer adds to every response: the upstream(s) nginx tried, e.g. `127.0.0.1:4001` or `127.0.0.1:4002, 127.0.0.1:4001` after a retry. */
export const UPSTREAM_HEADER = "x-upstream";

export interface NginxBalancer {
  url: string;
  /** nginx's access log: one line per request with the upstreams tried and their statuses. */
  accessLog: string;
  output(): string;
  stop(): Promise<void>;
}

/** Debian's nginx when installed (`apt-get install nginx`; `.ci/run` installs it), else undefined: the caller skips. */
export function findNginx(): string | undefined {
  for (const candidate of ["/usr/sbin/nginx", "/usr/bin/nginx"]) {
    try {
      execFileSync(candidate, ["-v"], { stdio: "ignore" });
      return candidate;
    } catch {
      // not there; try the next
    }
  }
  return undefined;
}

/**
 * Round robin over the upstreams on 127.0.0.1, as a production balancer would be set up for
 * the app: HTTP/1.1 to the replicas, no buffering (the chat streams SSE) and no caching. A
 * replica that fails a request is marked down for two seconds (then tried again: a refused
 * connection goes on to the next replica, so a dead one costs a retry, not an error); a POST already sent to a replica that dies is not replayed (nginx's default for
 * non-idempotent requests: a chat turn must not run twice).
 */
export function nginxConfig(dir: string, port: number, upstreams: readonly string[]): string {
  const temp = (name: string) => path.join(dir, name);
  // Run as root (CI containers), the master would hand the workers to `nobody`, who cannot
  // write the temp folders here; as any other user the directive is ignored.
  const user = process.getuid?.() === 0 ? "user root;" : "";
  return `${user}
worker_processes 1;
pid ${temp("nginx.pid")};
error_log stderr warn;
events { worker_connections 512; }
http {
  log_format upstreams '$request_method $request_uri $status upstream=$upstream_addr upstream_status=$upstream_status';
  access_log ${temp("access.log")} upstreams;
  client_body_temp_path ${temp("client_body")};
  proxy_temp_path ${temp("proxy")};
  fastcgi_temp_path ${temp("fastcgi")};
  uwsgi_temp_path ${temp("uwsgi")};
  scgi_temp_path ${temp("scgi")};
  upstream replicas {
${upstreams.map((u) => `    server ${u} max_fails=1 fail_timeout=2s;`).join("\n")}
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://replicas;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_buffering off;
      proxy_cache off;
      proxy_read_timeout 180s;
      proxy_next_upstream error timeout;
      add_header ${UPSTREAM_HEADER} $upstream_addr always;
    }
  }
}
`;
}

async function waitForPort(port: number, exited: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    if (exited() || Date.now() > deadline) throw new Error(`nginx is not listening on 127.0.0.1:${port}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** nginx in the foreground with its own prefix, config, pid and logs in a temp folder; `stop()` ends it and removes the folder. */
export async function startNginxBalancer(nginx: string, port: number, upstreams: readonly string[]): Promise<NginxBalancer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "nginx-lb-"));
  const conf = path.join(dir, "nginx.conf");
  await writeFile(conf, nginxConfig(dir, port, upstreams));
  // -e: the start-up error log, before the config is read (the default is /var/log/nginx); errors land in output().
  const server = spawnServer(nginx, ["-p", dir, "-e", "stderr", "-c", conf, "-g", "daemon off;"], {
    cwd: dir,
    env: process.env,
    echo: false,
    // SIGQUIT is nginx's graceful stop: it lets the requests under way finish.
    stopSignal: "SIGQUIT",
  });
  const stop = async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, () => !server.running(), 10_000);
  } catch (error) {
    const output = server.outputTail();
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}:\n${output}`, { cause: error });
  }
  return { url: `http://127.0.0.1:${port}`, accessLog: path.join(dir, "access.log"), output: server.outputTail, stop };
}
