import { describe, expect, it } from "vitest";
import type { Embedder, Embedding } from "../../src/core/ports.js";
import { HybridEmbedder } from "../../src/nlu/hybrid-embedder.js";
import { IntentIndex } from "../../src/nlu/intent-index.js";

/** The hybrid score is exactly w·neural + (1−w)·lexical, through the same intent index. */
function unit(values: number[], indices = values.map((_, i) => i)): Embedding {
  const norm = Math.hypot(...values);
  return { indices: Uint32Array.from(indices), values: Float32Array.from(values.map((v) => v / norm)) };
}

class Fixed implements Embedder {
  constructor(
    readonly id: string,
    private readonly vectors: Record<string, Embedding>,
    readonly dimension = 3,
  ) {}
  async embed(texts: readonly string[]): Promise<Embedding[]> {
    return texts.map((t) => this.vectors[t]!);
  }
}

function cosine(a: Embedding, b: Embedding): number {
  let dot = 0;
  a.indices.forEach((i, k) => {
    const j = b.indices.indexOf(i);
    if (j >= 0) dot += a.values[k]! * b.values[j]!;
  });
  return dot;
}

describe("HybridEmbedder", () => {
  const neural = new Fixed("n", { a: unit([1, 2, 3]), b: unit([3, 1, 0.5]) });
  const lexical = new Fixed("l", { a: unit([1, 1, 0, 2], [10, 500, 7, 262143]), b: unit([2, 1, 1], [10, 7, 99]) });

  it("gives cosines that mix the two parts by the weight", async () => {
    for (const weight of [1, 0.6, 0.25]) {
      const hybrid = new HybridEmbedder(neural, lexical, weight);
      const [a, b] = await hybrid.embed(["a", "b"]);
      const expected = weight * cosine((await neural.embed(["a"]))[0]!, (await neural.embed(["b"]))[0]!) + (1 - weight) * cosine((await lexical.embed(["a"]))[0]!, (await lexical.embed(["b"]))[0]!);
      expect(cosine(a!, b!)).toBeCloseTo(expected, 5);
      expect(cosine(a!, a!)).toBeCloseTo(1, 5);
      expect(hybrid.id).toBe(`hybrid(n+l@${weight})`);
    }
  });

  it("scores the same way through the intent index", async () => {
    const hybrid = new HybridEmbedder(neural, lexical, 0.6);
    const index = await IntentIndex.build(hybrid, [{ intent: "help.shelter", lang: "es", text: "b" }]);
    const [a] = await hybrid.embed(["a"]);
    const [b] = await hybrid.embed(["b"]);
    expect(index.similarities(a!)[0]).toBeCloseTo(cosine(a!, b!), 5);
  });

  it("refuses a weight outside (0, 1]", () => {
    expect(() => new HybridEmbedder(neural, lexical, 0)).toThrow(RangeError);
    expect(() => new HybridEmbedder(neural, lexical, 1.5)).toThrow(RangeError);
  });
});
