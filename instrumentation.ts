/**
 * Next.js calls `register` once per server start. Tracing (OpenTelemetry with
 * OpenInference conventions, exported to Phoenix) is set up here; until then the app
 * runs untraced and each request still gets a trace id of its own.
 */
export async function register(): Promise<void> {
  // Intentionally empty: see the tracing issue.
}
