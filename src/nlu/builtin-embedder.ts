import type { Lang } from "../core/languages.js";
import type { Embedder, Embedding } from "../core/ports.js";
import { normalizeText, tokens } from "../core/text/normalize.js";

/**
 * The built-in embedder: pure TypeScript, no native code, the default everywhere (Node and Workers).
 * Words, word bigrams, word stems and character n-grams are hashed into a 2^18-dimensional space, weighted by
 * inverse document frequency over the intent examples, and L2-normalised. Character n-grams are what makes
 * "asilo", "azilo" and "asylum" neighbours, and what survives typos on a cheap phone's keyboard.
 */

const DIMENSION_BITS = 18;
const DIMENSION_MASK = (1 << DIMENSION_BITS) - 1;
export const BUILTIN_VERSION = "builtin-v2";
const VERSION = BUILTIN_VERSION;

/**
 * Feature weights (before IDF): whole words and stems carry meaning, n-grams carry robustness. Chosen with
 * `npm run eval` and a 5-fold cross-validation over intents/ (held-out concepts), not on single sentences.
 */
const WORD_WEIGHT = 1;
const STEM_WEIGHT = 1;
const BIGRAM_WEIGHT = 0.3;
const CHAR_WEIGHT = 0.35;
const STEM_LENGTH = 5;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a: tiny, fast, stable across runtimes (the index may be built at build time and used on Workers). */
function fnv(h: number, text: string, start = 0, end = text.length): number {
  for (let i = start; i < end; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h;
}

function hash(feature: string): number {
  return (fnv(FNV_OFFSET, feature) >>> 0) & DIMENSION_MASK;
}

/** The FNV state after "c:", so character n-grams hash without allocating a string each. */
const CHAR_PREFIX = fnv(FNV_OFFSET, "c:");

/** Raw weighted features of one text, already hashed. */
export function hashedFeatures(text: string, lang?: Lang): Map<number, number> {
  const words = tokens(normalizeText(text, lang));
  const features = new Map<number, number>();
  const addHash = (h: number, weight: number) => features.set(h, (features.get(h) ?? 0) + weight);
  const add = (feature: string, weight: number) => addHash(hash(feature), weight);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    add(`w:${word}`, WORD_WEIGHT);
    if (word.length > STEM_LENGTH) add(`s:${word.slice(0, STEM_LENGTH)}`, STEM_WEIGHT);
    if (i + 1 < words.length) add(`b:${word}_${words[i + 1]}`, BIGRAM_WEIGHT);
    const padded = ` ${word} `;
    const grams = Math.max(1, 3 * padded.length - 9);
    const weight = CHAR_WEIGHT / Math.sqrt(grams);
    for (let n = 3; n <= 5; n++) {
      for (let j = 0; j + n <= padded.length; j++) addHash((fnv(CHAR_PREFIX, padded, j, j + n) >>> 0) & DIMENSION_MASK, weight);
    }
  }
  return features;
}

export interface CorpusSample {
  text: string;
  lang?: Lang | undefined;
}

export class BuiltinEmbedder implements Embedder {
  readonly id = VERSION;

  private constructor(
    private readonly idf: Map<number, number>,
    private readonly unseenIdf: number,
  ) {}

  /** The learned frequencies, to be stored and loaded without fitting again (the Worker's bundle). */
  state(): { hashes: Uint32Array; idf: Float64Array; unseenIdf: number } {
    const hashes = Uint32Array.from([...this.idf.keys()].sort((a, b) => a - b));
    return { hashes, idf: Float64Array.from(hashes, (h) => this.idf.get(h)!), unseenIdf: this.unseenIdf };
  }

  static fromState(state: { hashes: Uint32Array; idf: Float64Array; unseenIdf: number }): BuiltinEmbedder {
    const idf = new Map<number, number>();
    state.hashes.forEach((h, i) => idf.set(h, state.idf[i]!));
    return new BuiltinEmbedder(idf, state.unseenIdf);
  }

  /** Learns inverse document frequencies from the corpus the index will be built from. */
  static fit(corpus: readonly CorpusSample[]): BuiltinEmbedder {
    const df = new Map<number, number>();
    for (const sample of corpus) {
      for (const h of hashedFeatures(sample.text, sample.lang).keys()) df.set(h, (df.get(h) ?? 0) + 1);
    }
    const n = corpus.length;
    const idf = new Map<number, number>();
    for (const [h, count] of df) idf.set(h, Math.log((n + 1) / (count + 1)) + 1);
    // Features never seen in the corpus carry no evidence for any intent, but still dilute the vector, which
    // is what pushes off-topic messages ("who won the match") below the answer threshold.
    return new BuiltinEmbedder(idf, Math.log(n + 1) + 1);
  }

  async embed(texts: readonly string[], lang?: Lang): Promise<Embedding[]> {
    return texts.map((text) => this.embedOne(text, lang));
  }

  embedOne(text: string, lang?: Lang): Embedding {
    const features = hashedFeatures(text, lang);
    const indices = Uint32Array.from([...features.keys()].sort((a, b) => a - b));
    const values = new Float32Array(indices.length);
    let norm = 0;
    indices.forEach((h, i) => {
      const v = features.get(h)! * (this.idf.get(h) ?? this.unseenIdf);
      values[i] = v;
      norm += v * v;
    });
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < values.length; i++) values[i]! /= norm;
    return { indices, values };
  }
}
