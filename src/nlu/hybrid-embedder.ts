import type { Lang } from "../core/languages.js";
import type { Embedder, Embedding } from "../core/ports.js";

/**
 * Neural and lexical similarity in one vector. Both parts are unit vectors; scaled by √w and √(1−w) and laid side
 * by side (the lexical dimensions after the neural ones), their cosine with another such vector is exactly
 * w·neural + (1−w)·lexical. The intent index needs no change, and typos, names and route towns the neural model
 * has never seen still count through the lexical part.
 */
export class HybridEmbedder implements Embedder {
  readonly id: string;
  private readonly neuralScale: number;
  private readonly lexicalScale: number;

  constructor(
    private readonly neural: Embedder & { readonly dimension: number },
    private readonly lexical: Embedder,
    /** Share of the neural similarity in the score, 0..1. */
    readonly weight: number,
  ) {
    if (!(weight > 0 && weight <= 1)) throw new RangeError(`hybrid weight must be in (0, 1], got ${weight}`);
    this.id = `hybrid(${neural.id}+${lexical.id}@${weight})`;
    this.neuralScale = Math.sqrt(weight);
    this.lexicalScale = Math.sqrt(1 - weight);
  }

  async embed(texts: readonly string[], lang?: Lang): Promise<Embedding[]> {
    const [dense, sparse] = await Promise.all([this.neural.embed(texts, lang), this.lexical.embed(texts, lang)]);
    const offset = this.neural.dimension;
    return dense.map((n, i) => {
      const l = this.lexicalScale > 0 ? sparse[i]! : { indices: new Uint32Array(0), values: new Float32Array(0) };
      const indices = new Uint32Array(n.indices.length + l.indices.length);
      const values = new Float32Array(indices.length);
      for (let k = 0; k < n.indices.length; k++) {
        indices[k] = n.indices[k]!;
        values[k] = n.values[k]! * this.neuralScale;
      }
      for (let k = 0; k < l.indices.length; k++) {
        indices[n.indices.length + k] = offset + l.indices[k]!;
        values[n.indices.length + k] = l.values[k]! * this.lexicalScale;
      }
      return { indices, values };
    });
  }
}
