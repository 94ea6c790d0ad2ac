import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { z } from "zod";
import { loadConfig } from "@/lib/config";
import { APP_SCHEMAS } from "@/lib/telemetry/telemetry-backends-config";

// The deployment files (deploy/) cannot be run here (no Docker daemon): these are the
// invariants that matter, read from the files themselves. `docker compose config` and the
// Collector's `validate` were run by hand (README, "Deploying with containers").

const serviceSchema = z
  .object({
    image: z.string().optional(),
    build: z.object({ context: z.string(), dockerfile: z.string() }).optional(),
    environment: z.record(z.string(), z.string()).optional(),
    volumes: z.array(z.string()).optional(),
    profiles: z.array(z.string()).optional(),
  })
  .loose();
const composeSchema = z.object({ services: z.record(z.string(), serviceSchema) }).loose();
const compose = composeSchema.parse(parse(fs.readFileSync("deploy/compose.yaml", "utf8"), { merge: true }));
const collector = z
  .object({
    receivers: z.object({ otlp: z.object({ protocols: z.object({ http: z.object({ endpoint: z.string() }) }).loose() }) }).loose(),
    processors: z.record(z.string(), z.record(z.string(), z.unknown()).nullable()),
    exporters: z.record(z.string(), z.unknown()),
    service: z.object({
      pipelines: z.record(
        z.string(),
        z.object({ receivers: z.array(z.string()), processors: z.array(z.string()), exporters: z.array(z.string()) }),
      ),
    }),
  })
  .parse(parse(fs.readFileSync("deploy/otel-collector.yaml", "utf8")));
const dockerfile = fs.readFileSync("deploy/Dockerfile", "utf8");

const service = (name: string) => {
  const found = compose.services[name];
  if (!found) throw new Error(`compose.yaml has no service ${name}`);
  return found;
};
/** `${VAR:?message}` and `${VAR:-default}` as compose would fill them, with made-up values for the required ones. */
const interpolate = (value: string) =>
  value.replace(/\$\{(\w+)(?::([?-])([^}]*))?\}/g, (_, name: string, kind?: string, rest?: string) =>
    kind === "-" ? (rest ?? "") : name === "SESSION_SECRET" ? "s".repeat(32) : `sample-${name.toLowerCase()}`,
  );

describe("deploy/compose.yaml", () => {
  const apps = ["app1", "app2"].map(service);

  it("runs two app replicas from the Dockerfile, with one database and one session secret", () => {
    for (const app of apps) expect(app.build).toEqual({ context: "..", dockerfile: "deploy/Dockerfile" });
    const [first, second] = apps.map((app) => app.environment ?? {});
    expect(first!.DATABASE_URL).toMatch(/^postgresql:\/\/.+@postgres:5432\//);
    expect(first!.SESSION_SECRET).toMatch(/^\$\{SESSION_SECRET:\?/);
    expect(second).toEqual(first);
  });

  it("gives the replicas an environment the app accepts, pointing at the services that exist", () => {
    const env = Object.fromEntries(Object.entries(apps[0]!.environment ?? {}).map(([key, value]) => [key, interpolate(value)]));
    const config = loadConfig(env);
    expect(config.database?.url).toContain("@postgres:5432/");
    expect(config.sessions.secret).toHaveLength(32);
    expect(new URL(config.tracing.phoenix.endpoint).hostname).toBe("phoenix");
    expect(config.otlpTraces?.url).toBe("http://otel-collector:4318/v1/traces");
    expect(config.metrics.otlp?.url).toBe("http://otel-collector:4318/v1/metrics");
    for (const host of ["postgres", "phoenix", "otel-collector"]) expect(Object.keys(compose.services)).toContain(host);
  });

  it("mounts the model files read-only and keeps data in a volume, never in the image", () => {
    for (const app of apps) {
      expect(app.volumes).toContain("../models:/app/models:ro");
      expect(app.volumes?.some((v) => v.endsWith(":/app/.data"))).toBe(true);
    }
    const ignored = fs.readFileSync("deploy/Dockerfile.dockerignore", "utf8").split("\n");
    for (const path of ["models", ".data", ".phoenix", "**/node_modules", ".env*"]) expect(ignored).toContain(path);
    expect(dockerfile).not.toMatch(/^COPY[^\n]*\bmodels\b/m);
  });

  it("balances over both replicas", () => {
    const nginx = fs.readFileSync("deploy/nginx.conf", "utf8");
    expect(nginx).toMatch(/server app1:3000/);
    expect(nginx).toMatch(/server app2:3000/);
    expect(nginx).toMatch(/proxy_buffering off/);
    expect(service("nginx").volumes).toContain("./nginx.conf:/etc/nginx/nginx.conf:ro");
  });

  it("runs PostgreSQL with pgvector, and the pinned Phoenix on it in a schema of its own", () => {
    expect(service("postgres").image).toMatch(/^pgvector\/pgvector:/);
    const phoenix = service("phoenix");
    const pinned = /arize-phoenix(?:\[[^\]]*\])?==([\d.]+)/.exec(fs.readFileSync("scripts/phoenix-requirements.txt", "utf8"))?.[1];
    expect(phoenix.image).toBe(`arizephoenix/phoenix:version-${pinned}`);
    expect(phoenix.environment?.PHOENIX_SQL_DATABASE_URL).toMatch(/@postgres:5432\//);
    const schema = phoenix.environment?.PHOENIX_SQL_DATABASE_SCHEMA ?? "public";
    expect(APP_SCHEMAS as readonly string[]).not.toContain(schema);
  });

  it("has the Collector read deploy/otel-collector.yaml", () => {
    const otel = service("otel-collector");
    expect(otel.image).toMatch(/^otel\/opentelemetry-collector-contrib:/);
    expect(otel.volumes).toContain("./otel-collector.yaml:/etc/otelcol/config.yaml:ro");
  });
});

describe("deploy/Dockerfile", () => {
  const stages = [...dockerfile.matchAll(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/gim)].map((m) => ({ image: m[1]!, name: m[2] }));
  const runtime = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));

  it("builds in stages and runs from node:20-slim, with no compiler in the last one", () => {
    expect(stages.map((s) => s.name)).toEqual(["deps", "build", "runtime"]);
    expect(stages.at(-1)!.image).toBe("node:20-slim");
    expect(runtime).not.toMatch(/g\+\+|build-essential/);
  });

  it("runs as a non-root user, with a health check on /api/health and the models as a volume", () => {
    const user = [...runtime.matchAll(/^USER\s+(\S+)/gm)].at(-1)?.[1];
    expect(user).toBeDefined();
    expect(["root", "0"]).not.toContain(user);
    expect(runtime).toMatch(/^HEALTHCHECK[\s\S]*\/api\/health/m);
    expect(runtime).toMatch(/^VOLUME .*"\/app\/models"/m);
  });
});

describe("deploy/otel-collector.yaml", () => {
  const traces = collector.service.pipelines.traces!;
  const sampling = z
    .object({ decision_wait: z.string(), policies: z.array(z.object({ name: z.string(), type: z.string() }).loose()) })
    .loose()
    .parse(collector.processors.tail_sampling);

  it("receives OTLP/HTTP on the port the app sends to, and batches every pipeline last", () => {
    expect(collector.receivers.otlp.protocols.http.endpoint).toMatch(/:4318$/);
    for (const pipeline of Object.values(collector.service.pipelines)) expect(pipeline.processors.at(-1)).toBe("batch");
    expect(traces.processors).toEqual(["tail_sampling", "batch"]);
  });

  it("tail-samples without dropping errors or eval runs, and waits longer than a chat turn may take", () => {
    const types = sampling.policies.map((p) => p.type);
    expect(sampling.policies.find((p) => p.type === "status_code")).toMatchObject({ status_code: { status_codes: ["ERROR"] } });
    expect(JSON.stringify(sampling.policies.find((p) => p.type === "ottl_condition"))).toContain("eval_run_id");
    expect(types).toContain("probabilistic");
    // TURN_DEADLINE_MS defaults to 120 s: a trace's root span can end that long after its first span.
    expect(Number.parseInt(sampling.decision_wait, 10)).toBeGreaterThan(loadConfig({}).capacity.turnDeadlineMs / 1000);
  });

  it("sends to the backend by OTLP/HTTP, configured from the environment", () => {
    expect(traces.exporters).toEqual(["otlphttp/backend"]);
    expect(collector.exporters["otlphttp/backend"]).toMatchObject({ endpoint: "${env:OTLP_BACKEND_ENDPOINT}" });
  });
});
