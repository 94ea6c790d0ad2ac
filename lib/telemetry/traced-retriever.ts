import { SemanticConventions as SC } from "@arizeai/openinference-semantic-conventions";
import type { Attributes } from "@opentelemetry/api";
import type { Retriever, ScoredChunk, SearchOptions } from "../vectorstore/types";
import { ioAttributes, OpenInferenceSpanKind, withSpan } from "./spans";
import { activeTracing } from "./tracing-registry";

/** What a retriever must expose to be traced as two steps. */
export interface TwoStepRetriever extends Retriever {
  readonly modelName: string;
  embedQuery(query: string): Promise<Float32Array>;
  searchVector(vector: Float32Array, options: SearchOptions): Promise<ScoredChunk[]>;
}

/**
 * A retriever that records what the LangChain instrumentation cannot see: the query
 * embedding (`embed_query`, EMBEDDING) and the vector search with each document's id,
 * content, score and metadata (`vector_search`, RETRIEVER). Spans nest under the active
 * span: the knowledge-base tool makes its own TOOL span active around the search.
 */
export class TracedRetriever implements Retriever {
  constructor(private readonly inner: TwoStepRetriever) {}

  async search(query: string, options: SearchOptions): Promise<ScoredChunk[]> {
    const vector = await withSpan(
      "embed_query",
      {
        kind: OpenInferenceSpanKind.EMBEDDING,
        attributes: {
          [SC.EMBEDDING_MODEL_NAME]: this.inner.modelName,
          [`${SC.EMBEDDING_EMBEDDINGS}.0.${SC.EMBEDDING_TEXT}`]: query,
        },
      },
      async (span) => {
        const v = await this.inner.embedQuery(query);
        // 384 numbers per query: only copied into the span when someone asked for vectors.
        if (activeTracing()?.traceConfig.hideEmbeddingVectors === false) {
          span.setAttribute(`${SC.EMBEDDING_EMBEDDINGS}.0.${SC.EMBEDDING_VECTOR}`, Array.from(v));
        }
        return v;
      },
    );
    return withSpan(
      "vector_search",
      {
        kind: OpenInferenceSpanKind.RETRIEVER,
        attributes: {
          ...ioAttributes("input", query),
          "retrieval.k": options.k,
          ...(options.topic ? { "retrieval.topic": options.topic } : {}),
        },
      },
      async (span) => {
        const chunks = await this.inner.searchVector(vector, options);
        span.setAttributes(retrievalDocumentAttributes(chunks));
        return chunks;
      },
    );
  }
}

/** `retrieval.documents.N.document.{id,content,score,metadata}` for scored chunks. */
export function retrievalDocumentAttributes(chunks: ScoredChunk[]): Attributes {
  const attributes: Attributes = {};
  chunks.forEach((chunk, i) => {
    const prefix = `${SC.RETRIEVAL_DOCUMENTS}.${i}`;
    attributes[`${prefix}.${SC.DOCUMENT_ID}`] = chunk.id;
    attributes[`${prefix}.${SC.DOCUMENT_CONTENT}`] = chunk.text;
    attributes[`${prefix}.${SC.DOCUMENT_SCORE}`] = chunk.score;
    attributes[`${prefix}.${SC.DOCUMENT_METADATA}`] = JSON.stringify({
      docId: chunk.docId,
      title: chunk.title,
      topic: chunk.topic,
      start: chunk.start,
      end: chunk.end,
    });
  });
  return attributes;
}
