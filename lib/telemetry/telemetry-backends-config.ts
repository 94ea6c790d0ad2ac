import { z } from "zod";
import { intInRange, onOffSwitch, optionalString, withDefault } from "../validation/env-values";
import { headerList, metricsEnvSchema, type MetricsConfig } from "./metrics/metrics-env";
import { parseEnv } from "../validation/parse-env";

/** Traces sent, besides Phoenix, to any OTLP/HTTP backend (a Collector, Jaeger, Tempo, Datadog, Honeycomb). */
export interface OtlpTracesConfig {
  /** The full traces URL (…/v1/traces). */
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** Also export Next.js's own spans (HTTP server, rendering); Phoenix and the trace log never get them. */
  keepNextjsSpans: boolean;
}

/** Where Phoenix keeps its data when it is not its SQLite file (`npm run phoenix`, the compose file). */
export interface PhoenixDatabaseConfig {
  /** A postgresql:// URL, handed to Phoenix as PHOENIX_SQL_DATABASE_URL. */
  url: string;
  /** Phoenix's own schema, never one of the app's (PHOENIX_SQL_DATABASE_SCHEMA). */
  schema: string;
}

/** Where telemetry goes besides the trace log: metrics, a generic OTLP traces backend, Phoenix's database. */
export interface TelemetryBackendsConfigSlice {
  /** OpenTelemetry metrics derived from the spans: METRICS, OTEL_EXPORTER_OTLP_*, OTEL_METRIC_EXPORT_*. */
  metrics: MetricsConfig;
  /** Absent unless an OTLP traces endpoint is set and OTEL_TRACES_EXPORTER is not `none`. */
  otlpTraces?: OtlpTracesConfig;
  /** Absent unless PHOENIX_SQL_DATABASE_URL is set: then Phoenix keeps its data in .phoenix/data. */
  phoenixDatabase?: PhoenixDatabaseConfig;
}

/** The schemas the app's own tables live in (lib/postgres): Phoenix must get another. */
export const APP_SCHEMAS = ["public", "trace_log", "review"] as const;
export const DEFAULT_PHOENIX_SCHEMA = "phoenix";

// The only OTLP transport installed (exporter-trace-otlp-proto); protobuf sent to a gRPC
// port would fail on every batch, quietly, so any other protocol is refused at start-up.
const protocol = withDefault(
  z.literal("http/protobuf", { error: "only http/protobuf is supported (a Collector's port 4318, not gRPC's 4317)" }).optional(),
);

const envSchema = z.object({
  /** OpenTelemetry's switch: `none` turns the trace export off while the shared endpoint still serves metrics. */
  OTEL_TRACES_EXPORTER: withDefault(z.enum(["otlp", "none"]).default("otlp")),
  /** Used as is (…/v1/traces), per the OTLP exporter specification. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: withDefault(z.url().optional()),
  /** A base URL for every signal: traces go to `<base>/v1/traces`. */
  OTEL_EXPORTER_OTLP_ENDPOINT: withDefault(z.url().optional()),
  OTEL_EXPORTER_OTLP_TRACES_HEADERS: headerList,
  OTEL_EXPORTER_OTLP_HEADERS: headerList,
  OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: withDefault(z.coerce.number().int().min(100).max(600_000).optional()),
  OTEL_EXPORTER_OTLP_TIMEOUT: intInRange(100, 600_000, 10_000),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: protocol,
  OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
  OTLP_EXPORT_NEXTJS_SPANS: onOffSwitch("off"),
  PHOENIX_SQL_DATABASE_URL: optionalString.refine((value) => value === undefined || /^postgres(ql)?:\/\/[^\s]+$/.test(value), {
    message: "must be a postgresql:// URL (Phoenix's SQLite needs no URL: it lives in .phoenix/data)",
  }),
  PHOENIX_SQL_DATABASE_SCHEMA: withDefault(
    z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, "must be a lower-case SQL identifier")
      .refine((schema) => !(APP_SCHEMAS as readonly string[]).includes(schema), {
        message: `must not be one of the app's schemas (${APP_SCHEMAS.join(", ")})`,
      })
      .default(DEFAULT_PHOENIX_SCHEMA),
  ),
});

type Env = z.infer<typeof envSchema>;

function otlpTraces(e: Env): OtlpTracesConfig | undefined {
  if (e.OTEL_TRACES_EXPORTER === "none") return undefined;
  const url =
    e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
    (e.OTEL_EXPORTER_OTLP_ENDPOINT ? `${e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, "")}/v1/traces` : undefined);
  if (!url) return undefined;
  return {
    url,
    headers: { ...e.OTEL_EXPORTER_OTLP_HEADERS, ...e.OTEL_EXPORTER_OTLP_TRACES_HEADERS },
    timeoutMs: e.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT ?? e.OTEL_EXPORTER_OTLP_TIMEOUT,
    keepNextjsSpans: e.OTLP_EXPORT_NEXTJS_SPANS,
  };
}

/** Called by loadConfig only: the environment is read in one place. */
export function telemetryBackendsConfig(env: Record<string, string | undefined>): TelemetryBackendsConfigSlice {
  const [e, metrics] = parseEnv(env, envSchema, metricsEnvSchema);
  const traces = otlpTraces(e);
  return {
    metrics,
    ...(traces ? { otlpTraces: traces } : {}),
    ...(e.PHOENIX_SQL_DATABASE_URL ? { phoenixDatabase: { url: e.PHOENIX_SQL_DATABASE_URL, schema: e.PHOENIX_SQL_DATABASE_SCHEMA } } : {}),
  };
}
