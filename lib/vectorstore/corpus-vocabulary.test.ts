import { describe, expect, it } from "vitest";
import { storeVocabulary, vocabularyOf } from "./corpus-vocabulary";
import type { Chunk } from "./types";

const chunk = (id: string, text: string): Chunk => ({
  id,
  docId: id.split("#")[0]!,
  title: "",
  topic: "products",
  text,
  start: 0,
  end: text.length,
});

/** A store another process ingests into (PostgreSQL): the same object, new chunks, a new generation. */
class SharedStore {
  generationValue = "g1";
  chunks = [chunk("a#0", "The rocket skate warranty lasts two years.")];
  reads = 0;
  listChunks() {
    this.reads++;
    return Promise.resolve(this.chunks);
  }
  generation() {
    return Promise.resolve(this.generationValue);
  }
}

describe("storeVocabulary", () => {
  it("reads a store's chunks once per ingest, and again after another process ingested into it", async () => {
    const store = new SharedStore();
    expect((await storeVocabulary(store)).words).toContain("warranty");
    expect((await storeVocabulary(store)).words).not.toContain("zephyr-9");
    expect(store.reads).toBe(1);

    store.chunks.push(chunk("b#0", "The Zephyr-9 pallet drone lifts 47 kilograms."));
    store.generationValue = "g2";
    expect((await storeVocabulary(store)).words).toContain("zephyr-9");
    expect((await storeVocabulary(store)).words).toContain("warranty");
    expect(store.reads).toBe(2);
  });

  it("tries again after a failed read", async () => {
    const store = new SharedStore();
    let fail = true;
    const listChunks = store.listChunks.bind(store);
    store.listChunks = () => (fail ? Promise.reject(new Error("database down")) : listChunks());
    await expect(storeVocabulary(store)).rejects.toThrow("database down");
    fail = false;
    expect((await storeVocabulary(store)).words).toContain("warranty");
  });
});

describe("vocabularyOf", () => {
  it("calls a word common when at least half of the documents use it", () => {
    const vocabulary = vocabularyOf([
      chunk("a#0", "Zephyr rocket skates ship in two weeks."),
      chunk("a#1", "Zephyr skates carry a warranty."),
      chunk("b#0", "Zephyr travel policy: book flights early."),
      chunk("c#0", "Holiday calendar for the year."),
    ]);
    expect(vocabulary.words).toContain("holiday");
    // "zephyr" is in two of the three documents; "skate" in two chunks of one.
    expect([...vocabulary.common]).toEqual(["zephyr"]);
  });
});
