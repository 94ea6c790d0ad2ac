import { AppError } from "../errors";

/** The fields of a corpus document supersession reads (corpus.ts's `CorpusDocument` has them). */
interface Versioned {
  id: string;
  source: string;
  effective: string;
  supersedes: readonly string[];
  supersededBy?: string;
}

/**
 * Links old and current versions of a document: each `supersedes: <id>` in a document's
 * frontmatter marks the named document as replaced by it. The corpus is refused
 * (`corpus_invalid`, naming the file) when a named id does not exist, when a document is
 * replaced twice, or when the replacement does not take effect after the document it replaces —
 * which also rules out cycles.
 */
export function linkSupersession<D extends Versioned>(docs: readonly D[]): D[] {
  const byId = new Map(docs.map((doc) => [doc.id, doc]));
  const supersededBy = new Map<string, string>();
  for (const doc of docs) {
    for (const oldId of doc.supersedes) {
      const old = byId.get(oldId);
      if (!old) throw new AppError("corpus_invalid", `${doc.source}: supersedes "${oldId}", which is not in the corpus`);
      const other = supersededBy.get(oldId);
      if (other) throw new AppError("corpus_invalid", `${doc.source}: "${oldId}" is already superseded by "${other}"`);
      if (old.effective >= doc.effective) {
        throw new AppError(
          "corpus_invalid",
          `${doc.source}: supersedes "${oldId}" (effective ${old.effective}) but takes effect no later (${doc.effective})`,
        );
      }
      supersededBy.set(oldId, doc.id);
    }
  }
  return docs.map((doc) => {
    const replacement = supersededBy.get(doc.id);
    return replacement ? { ...doc, supersededBy: replacement } : doc;
  });
}
