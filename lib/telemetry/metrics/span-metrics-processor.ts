import { SpanStatusCode, type Attributes, type Context, type Counter, type Histogram, type HrTime, type Meter } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { OpenInferenceSpanKind, SemanticConventions as SC } from "@arizeai/openinference-semantic-conventions";
import { AppAttributes } from "../attributes";
import { BoundedValues } from "./bounded-values";
import {
  GENAI_CHAT_OPERATION,
  GenAiAttributes as GA,
  GenAiMetrics,
  GenAiTokenTypes,
  genAiProviderName,
  OPERATION_DURATION_BUCKETS,
  OTHER_VALUE,
  TOKEN_USAGE_BUCKETS,
} from "./genai-conventions";

/** The app's own metrics, beside the GenAI conventions' (not experimental names: the app owns them). */
const AppMetrics = {
  /** Histogram, `s`: a whole chat request (the root AGENT span), by route. */
  REQUEST_DURATION: "rag.request.duration",
  /** Counter, `USD`: what the LLM calls cost, from the price table (`llm.cost.total`). */
  LLM_COST: "rag.llm.cost",
  /** Histogram, `1`: the best document score of each retrieval (cosine similarity). */
  RETRIEVAL_TOP_SCORE: "rag.retrieval.top_score",
} as const;

/** The route attribute on request metrics: the same name as on the root span. */
const ROUTE_ATTRIBUTE = AppAttributes.AGENT_ROUTE;
/** `agent.route` of a request that ended before a route was chosen. */
const NO_ROUTE = "none";

const REQUEST_DURATION_BUCKETS = [...OPERATION_DURATION_BUCKETS, 163.84];
const SCORE_BUCKETS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

export interface SpanMetricsOptions {
  /** Model names kept as `gen_ai.request.model` (the price table's and the configured ones); any other is `_OTHER`. */
  knownModels: Iterable<string>;
  /** Called when the processor shuts down (the owner closes its MeterProvider). */
  onShutdown?: () => Promise<void>;
  warn?: (message: string) => void;
}

/**
 * Derives the metrics from finished spans: the spans already carry every figure (OpenInference
 * attributes, status, duration), so the request path records nothing twice and metrics and
 * traces cannot disagree. Attributes come from bounded sets only (see BoundedValues); the
 * spans' ids, session, user and text never reach a metric.
 *
 * Telemetry never breaks the app: a span it cannot read is counted and skipped, and nothing
 * throws out of `onEnd` into the `span.end()` of a request.
 */
export class SpanMetricsProcessor implements SpanProcessor {
  /** Spans the processor failed on (skipped). */
  failures = 0;
  private warned = false;
  private readonly tokenUsage: Histogram;
  private readonly operationDuration: Histogram;
  private readonly requestDuration: Histogram;
  private readonly cost: Counter;
  private readonly retrievalTopScore: Histogram;
  private readonly models: BoundedValues;
  // Written by the app's own code (route names, error codes), so learned, up to a cap.
  private readonly routes = new BoundedValues({ known: [NO_ROUTE], pattern: /^[a-z][a-z0-9_]{0,47}$/, maxLearned: 32 });
  private readonly errorTypes = new BoundedValues({ pattern: /^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/, maxLearned: 32 });

  constructor(
    meter: Meter,
    private readonly options: SpanMetricsOptions,
  ) {
    this.models = new BoundedValues({ known: options.knownModels, knownPrefixes: true });
    const histogram = (name: string, unit: string, description: string, buckets: number[]) =>
      meter.createHistogram(name, { unit, description, advice: { explicitBucketBoundaries: buckets } });
    this.tokenUsage = histogram(GenAiMetrics.TOKEN_USAGE, "{token}", "Number of input and output tokens used", TOKEN_USAGE_BUCKETS);
    this.operationDuration = histogram(GenAiMetrics.OPERATION_DURATION, "s", "GenAI operation duration", OPERATION_DURATION_BUCKETS);
    this.requestDuration = histogram(AppMetrics.REQUEST_DURATION, "s", "Chat request duration, by route", REQUEST_DURATION_BUCKETS);
    this.retrievalTopScore = histogram(AppMetrics.RETRIEVAL_TOP_SCORE, "1", "Best document score per retrieval", SCORE_BUCKETS);
    this.cost = meter.createCounter(AppMetrics.LLM_COST, { unit: "USD", description: "Cost of LLM calls from the price table" });
  }

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    try {
      this.record(span);
    } catch (error) {
      this.failures++;
      // Once per process: a span shape it fails on comes back with every request.
      if (this.warned) return;
      this.warned = true;
      (this.options.warn ?? console.warn)(`[metrics] recording metrics failed on span ${span.name} (skipped): ${String(error)}`);
    }
  }

  private record(span: ReadableSpan): void {
    const kind = span.attributes[SC.OPENINFERENCE_SPAN_KIND];
    if (kind === OpenInferenceSpanKind.LLM) this.recordLlm(span);
    else if (kind === OpenInferenceSpanKind.RETRIEVER) this.recordRetrieval(span);
    else if (kind === OpenInferenceSpanKind.AGENT && isRoot(span)) this.recordRequest(span);
  }

  private recordLlm(span: ReadableSpan): void {
    const a = span.attributes;
    const base: Attributes = {
      [GA.OPERATION_NAME]: GENAI_CHAT_OPERATION,
      [GA.PROVIDER_NAME]: genAiProviderName(a[SC.LLM_PROVIDER]),
      [GA.REQUEST_MODEL]: this.models.normalize(a[SC.LLM_MODEL_NAME]),
    };
    const error = this.errorType(span);
    this.operationDuration.record(seconds(span.duration), error ? { ...base, [GA.ERROR_TYPE]: error } : base);
    const input = a[SC.LLM_TOKEN_COUNT_PROMPT];
    const output = a[SC.LLM_TOKEN_COUNT_COMPLETION];
    if (isCount(input)) this.tokenUsage.record(input, { ...base, [GA.TOKEN_TYPE]: GenAiTokenTypes.INPUT });
    if (isCount(output)) this.tokenUsage.record(output, { ...base, [GA.TOKEN_TYPE]: GenAiTokenTypes.OUTPUT });
    const cost = a[SC.LLM_COST_TOTAL];
    if (typeof cost === "number" && Number.isFinite(cost) && cost >= 0) this.cost.add(cost, base);
  }

  private recordRetrieval(span: ReadableSpan): void {
    const top = topDocumentScore(span.attributes);
    if (top !== undefined) this.retrievalTopScore.record(top);
  }

  private recordRequest(span: ReadableSpan): void {
    const route = span.attributes[ROUTE_ATTRIBUTE];
    const error = this.errorType(span);
    this.requestDuration.record(seconds(span.duration), {
      [ROUTE_ATTRIBUTE]: route === undefined ? NO_ROUTE : this.routes.normalize(route),
      ...(error ? { [GA.ERROR_TYPE]: error } : {}),
    });
  }

  /**
   * `error.type` of a failed span: the recorded exception's type (the SDK records an error's
   * `code` there when it has one, such as the app's `llm_timeout`, else its class name).
   */
  private errorType(span: ReadableSpan): string | undefined {
    if (span.status.code !== SpanStatusCode.ERROR) return undefined;
    const exception = span.events.findLast((e) => e.name === "exception");
    const type = exception?.attributes?.["exception.type"];
    return type === undefined ? OTHER_VALUE : this.errorTypes.normalize(type);
  }

  forceFlush(): Promise<void> {
    // Metrics leave on their own schedule (the OTLP interval, a scrape): a span flush (feedback,
    // an eval run) must not wait on a metrics backend.
    return Promise.resolve();
  }

  async shutdown(): Promise<void> {
    await this.options.onShutdown?.();
  }
}

function isRoot(span: ReadableSpan): boolean {
  const parent = span.parentSpanContext;
  return parent === undefined || parent.isRemote === true;
}

function seconds(duration: HrTime): number {
  return duration[0] + duration[1] / 1e9;
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}

/** The highest `retrieval.documents.N.document.score`; documents are numbered from 0 without gaps. */
function topDocumentScore(attributes: Attributes): number | undefined {
  let top: number | undefined;
  for (let i = 0; i < 1_000; i++) {
    const prefix = `${SC.RETRIEVAL_DOCUMENTS}.${i}`;
    const score = attributes[`${prefix}.${SC.DOCUMENT_SCORE}`];
    if (score === undefined && attributes[`${prefix}.${SC.DOCUMENT_ID}`] === undefined) break;
    if (typeof score === "number" && Number.isFinite(score)) top = Math.max(top ?? score, score);
  }
  return top;
}
