import type { IntentId } from "../core/intents.js";
import { LANGS, type Lang } from "../core/languages.js";
import type { Embedder, Embedding, IntentRanker, Ranking } from "../core/ports.js";

/**
 * The intent index: every example of `intents/` embedded once, stored as an inverted index (dimension →
 * examples), so scoring a message costs one pass over the message's non-zero dimensions — a few hundred
 * multiply-adds per example for dense models, a few dozen for the sparse built-in embedder.
 */

export interface IntentExample {
  /** The intent, or null for an out-of-scope counter-example. */
  intent: IntentId | null;
  lang: Lang;
  text: string;
}

export interface PostingsState {
  dims: Uint32Array;
  offsets: Uint32Array;
  example: Uint32Array;
  weight: Float32Array;
}

/** A few examples embedded one at a time, as messages are: compared at start to tell whether the model changed. */
export interface Probe {
  example: number;
  vector: Embedding;
}

export interface CachedIndex {
  vectors: Embedding[];
  probes: Probe[];
}

/** Where the example embeddings of a slow (neural) embedder are kept between restarts. */
export interface IndexCache {
  load(embedderId: string, examples: readonly IntentExample[]): CachedIndex | null;
  /** Never throws: a cache that cannot be written only costs the next start some time. */
  save(embedderId: string, examples: readonly IntentExample[], index: CachedIndex): void;
}

/** How the index got its vectors: embedded now, read from the cache, or embedded again because the cache was stale. */
export type IndexSource = "embedded" | "cache" | "stale-cache";

/** Examples in the message's own language count fully; others a little less (people mix languages). */
const OTHER_LANGUAGE_FACTOR = 0.92;
/** An intent's score mixes its best example with the mean of its best five (a local centroid). */
const BEST_WEIGHT = 0.5;
const TOP_K = 5;
const BATCH = 64;

export class IntentIndex implements IntentRanker {
  private constructor(
    private readonly embedder: Embedder,
    private readonly examples: readonly IntentExample[],
    /** The inverted index, flat: the examples and weights of dimension dims[i] are at offsets[i]..offsets[i + 1]. */
    private readonly postings: PostingsState,
    private readonly intents: readonly IntentId[],
    private readonly exampleIntent: Uint16Array,
    readonly source: IndexSource = "embedded",
  ) {
    this.exampleLang = Uint8Array.from(examples, (e) => LANGS.indexOf(e.lang));
    this.scores = new Float32Array(examples.length);
    postings.dims.forEach((dim, i) => this.dimAt.set(dim, i));
  }

  /** Each example's language, as its place in LANGS: read for every example of every message. */
  private readonly exampleLang: Uint8Array;
  /** The scores of the message being ranked, reused (ranking is synchronous): no new array for each message. */
  private readonly scores: Float32Array;
  /** Where each dimension is in postings.dims. */
  private readonly dimAt = new Map<number, number>();

  get embedderId(): string {
    return this.embedder.id;
  }

  get size(): number {
    return this.examples.length;
  }

  static async build(embedder: Embedder, examples: readonly IntentExample[], cache?: IndexCache): Promise<IntentIndex> {
    let source: IndexSource = "embedded";
    const cached = cache?.load(embedder.id, examples);
    if (cached) {
      // The probes: the first example of each language, embedded now exactly as they were when cached (alone, as
      // messages are). A model replaced under the same name (other weights, another dimension) fails them, and
      // everything is embedded again.
      const fresh = await IntentIndex.probe(embedder, examples, cached.probes.map((p) => p.example));
      if (fresh.every((p, i) => sameVector(p.vector, cached.probes[i]!.vector))) {
        return IntentIndex.fromEmbeddings(embedder, examples, cached.vectors, "cache");
      }
      source = "stale-cache";
    }
    const vectors = await IntentIndex.embedExamples(embedder, examples);
    if (cache) {
      const seen = new Set<Lang>();
      const first = examples.flatMap((e, i) => (seen.has(e.lang) ? [] : (seen.add(e.lang), [i])));
      cache.save(embedder.id, examples, { vectors, probes: await IntentIndex.probe(embedder, examples, first) });
    }
    return IntentIndex.fromEmbeddings(embedder, examples, vectors, source);
  }

  private static async probe(embedder: Embedder, examples: readonly IntentExample[], positions: readonly number[]): Promise<Probe[]> {
    const probes: Probe[] = [];
    for (const i of positions) {
      const example = examples[i];
      if (!example) return [];
      const [vector] = await embedder.embed([example.text], example.lang);
      probes.push({ example: i, vector: vector! });
    }
    return probes;
  }

  private static async embedExamples(embedder: Embedder, examples: readonly IntentExample[]): Promise<Embedding[]> {
    const vectors: Embedding[] = new Array(examples.length);
    // Embedded per language (lexical embedders apply that language's spelling rules) and in batches (one model
    // call per batch for neural embedders, bounded memory for all).
    const byLang = new Map<Lang, number[]>();
    examples.forEach((example, i) => {
      const positions = byLang.get(example.lang) ?? [];
      positions.push(i);
      byLang.set(example.lang, positions);
    });
    for (const [lang, positions] of byLang) {
      for (let start = 0; start < positions.length; start += BATCH) {
        const batch = positions.slice(start, start + BATCH);
        const embedded = await embedder.embed(batch.map((i) => examples[i]!.text), lang);
        batch.forEach((i, k) => (vectors[i] = embedded[k]!));
      }
    }
    return vectors;
  }

  static fromEmbeddings(embedder: Embedder, examples: readonly IntentExample[], vectors: readonly Embedding[], source: IndexSource = "embedded"): IntentIndex {
    const lists = new Map<number, { example: number[]; weight: number[] }>();
    vectors.forEach((vector, e) => {
      vector.indices.forEach((dim, k) => {
        let list = lists.get(dim);
        if (!list) lists.set(dim, (list = { example: [], weight: [] }));
        list.example.push(e);
        list.weight.push(vector.values[k]!);
      });
    });
    const dims = Uint32Array.from([...lists.keys()].sort((a, b) => a - b));
    const offsets = new Uint32Array(dims.length + 1);
    dims.forEach((d, i) => (offsets[i + 1] = offsets[i]! + lists.get(d)!.example.length));
    const example = new Uint32Array(offsets[dims.length]!);
    const weight = new Float32Array(example.length);
    dims.forEach((d, i) => {
      const list = lists.get(d)!;
      example.set(list.example, offsets[i]!);
      weight.set(list.weight, offsets[i]!);
    });
    return IntentIndex.withPostings(embedder, examples, { dims, offsets, example, weight }, source);
  }

  private static withPostings(
    embedder: Embedder,
    examples: readonly Pick<IntentExample, "intent" | "lang">[],
    postings: PostingsState,
    source: IndexSource,
  ): IntentIndex {
    const intents = [...new Set(examples.flatMap((e) => (e.intent ? [e.intent] : [])))];
    // Counter-examples form one more class, after the intents.
    const exampleIntent = Uint16Array.from(examples.map((e) => (e.intent ? intents.indexOf(e.intent) : intents.length)));
    return new IntentIndex(embedder, examples as readonly IntentExample[], postings, intents, exampleIntent, source);
  }

  /**
   * The inverted index as flat arrays (dimension, where its list starts, examples, weights), to be stored: the
   * index's own arrays, not copies, so they are only to be read.
   */
  postingsState(): PostingsState {
    return this.postings;
  }

  /** An index from stored postings: the arrays as they are, nothing embedded or sorted again. */
  static fromPostings(embedder: Embedder, examples: readonly Pick<IntentExample, "intent" | "lang">[], state: PostingsState): IntentIndex {
    return IntentIndex.withPostings(embedder, examples, state, "embedded");
  }

  /** Cosine similarity of the message to every example. */
  similarities(vector: Embedding): Float32Array {
    return this.accumulate(vector, new Float32Array(this.examples.length));
  }

  /**
   * Adds the message's similarity to each example into `scores` (zeros to begin with). This and rankVector run for
   * every message: the arrays are read into locals once, and the lists are slices of flat arrays rather than
   * objects in a Map (`npm run bench:threads` measures a message's CPU).
   */
  private accumulate(vector: Embedding, scores: Float32Array): Float32Array {
    const { indices, values } = vector;
    const { offsets, example, weight } = this.postings;
    for (let k = 0; k < indices.length; k++) {
      const at = this.dimAt.get(indices[k]!);
      if (at === undefined) continue;
      const q = values[k]!;
      const end = offsets[at + 1]!;
      for (let j = offsets[at]!; j < end; j++) scores[example[j]!]! += q * weight[j]!;
    }
    return scores;
  }

  async rank(text: string, lang: Lang): Promise<Ranking> {
    const [vector] = await this.embedder.embed([text], lang);
    return this.rankVector(vector!, lang);
  }

  async rankAll(texts: readonly string[], lang: Lang): Promise<Ranking[]> {
    const vectors = await this.embedder.embed(texts, lang);
    return vectors.map((v) => this.rankVector(v, lang));
  }

  private rankVector(vector: Embedding, lang: Lang): Ranking {
    const scores = this.accumulate(vector, this.scores.fill(0));
    const own = LANGS.indexOf(lang);
    const { exampleLang, exampleIntent } = this;
    const classes = this.intents.length + 1;
    // The best TOP_K scores of each class, kept sorted by insertion (no allocation per example).
    const best = new Float32Array(classes * TOP_K).fill(-1);
    for (let e = 0; e < scores.length; e++) {
      let score = scores[e]!;
      if (score <= 0) continue;
      if (exampleLang[e] !== own) score *= OTHER_LANGUAGE_FACTOR;
      const base = exampleIntent[e]! * TOP_K;
      if (score <= best[base + TOP_K - 1]!) continue;
      let i = base + TOP_K - 1;
      while (i > base && best[i - 1]! < score) {
        best[i] = best[i - 1]!;
        i--;
      }
      best[i] = score;
    }
    const classScore = (n: number) => {
      let sum = 0;
      for (let k = 0; k < TOP_K; k++) sum += Math.max(0, best[n * TOP_K + k]!);
      return BEST_WEIGHT * Math.max(0, best[n * TOP_K]!) + (1 - BEST_WEIGHT) * (sum / TOP_K);
    };
    return {
      intents: this.intents.map((intent, n) => ({ intent, score: classScore(n) })).sort((a, b) => b.score - a.score),
      outOfScope: classScore(this.intents.length),
    };
  }
}

/** The same dimensions and a cosine of at least 0.9999 (float noise between runs is not a change of model). */
function sameVector(a: Embedding, b: Embedding): boolean {
  if (a.indices.length !== b.indices.length) return false;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let k = 0; k < a.indices.length; k++) {
    if (a.indices[k] !== b.indices[k]) return false;
    dot += a.values[k]! * b.values[k]!;
    na += a.values[k]! * a.values[k]!;
    nb += b.values[k]! * b.values[k]!;
  }
  return na === 0 && nb === 0 ? true : dot / Math.sqrt(na * nb) >= 0.9999;
}
