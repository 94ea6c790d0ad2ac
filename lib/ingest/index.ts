export { chunkDocument, locate, textForEmbedding, type ChunkingOptions } from "./chunker";
export { documentHash, frontmatterSchema, loadCorpus, parseCorpusFile, type CorpusDocument, type Frontmatter } from "./corpus";
export { formatIngestSummary, ingestCorpus, type IngestOptions, type IngestPlan, type IngestSummary } from "./ingest";
