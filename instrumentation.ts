/**
 * Next.js calls `register` once per server start. Tracing is set up here, on the Node.js
 * runtime only: `@vercel/otel` registers the tracer provider with the app's span pipeline
 * (enrich, redact, export to Phoenix and the local trace log: lib/telemetry/tracing-pipeline.ts),
 * and the OpenInference LangChain instrumentation patches LangChain's callback manager. The
 * alert evaluator (lib/monitoring/alert-scheduler.ts) starts here too, on its own timer.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const [{ registerOTel }, { getConfig }, { createTracingPipeline }, { setActiveTracing }, { instrumentLangChain }, { SPAN_LIMITS }] =
    await Promise.all([
      import("@vercel/otel"),
      import("./lib/config"),
      import("./lib/telemetry/tracing-pipeline"),
      import("./lib/telemetry/tracing-registry"),
      import("./lib/telemetry/langchain-instrumentation"),
      import("./lib/telemetry/span-limits"),
    ]);
  const config = getConfig();
  if (!config.tracing.enabled) return;
  const pipeline = createTracingPipeline(config);
  registerOTel({
    serviceName: pipeline.resourceAttributes["service.name"],
    attributes: pipeline.resourceAttributes,
    spanProcessors: pipeline.processors,
    spanLimits: SPAN_LIMITS,
    // Every trace reaches the trace log, which curation, feedback and alerts read: sampling,
    // if any, happens downstream (the Collector's tail sampling), never here (OTEL_TRACES_SAMPLER is ignored).
    traceSampler: "always_on",
    // Calls to Phoenix itself (feedback annotations) are not the product's traffic.
    instrumentationConfig: { fetch: { ignoreUrls: [config.tracing.phoenix.endpoint] } },
  });
  setActiveTracing(pipeline);
  // Next.js ends the process with process.exit once a SIGTERM/SIGINT's in-flight requests are
  // done. The SQLite log already holds their spans (written as each ends); closing it here
  // checkpoints the WAL, so a stopped server leaves one clean file behind.
  process.once("exit", () => void pipeline.traceLog.close());
  instrumentLangChain(pipeline.traceConfig);
  if (config.alerts.intervalMs > 0) {
    // Alert rules are evaluated on a timer over the trace log, never on a request.
    const [{ startAlertScheduler }, { TraceLogReader }, { serverAlertNotifier }] = await Promise.all([
      import("./lib/monitoring/alert-scheduler"),
      import("./lib/telemetry/trace-log/trace-reader"),
      import("./lib/monitoring/notify/alert-notifier"),
    ]);
    const { traceLog } = pipeline;
    // Log line, annotation and webhook per claimed transition; the webhook waits in the background.
    const notifier = serverAlertNotifier(config, pipeline);
    startAlertScheduler({
      rulesPath: config.alerts.rulesPath,
      intervalMs: config.alerts.intervalMs,
      reader: new TraceLogReader(traceLog),
      store: traceLog.alerts,
      notify: (transition) => void notifier.notify(transition),
    });
  }
}
