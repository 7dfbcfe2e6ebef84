import { describe, expect, it } from "vitest";
import type { Embedding } from "../../src/core/ports.js";
import { BuiltinEmbedder } from "../../src/nlu/builtin-embedder.js";
import { IntentIndex } from "../../src/nlu/intent-index.js";

function cosine(a: Embedding, b: Embedding): number {
  const values = new Map<number, number>();
  a.indices.forEach((d, i) => values.set(d, a.values[i]!));
  let dot = 0;
  b.indices.forEach((d, i) => (dot += (values.get(d) ?? 0) * b.values[i]!));
  return dot;
}

const corpus = [
  { text: "quiero pedir asilo", lang: "es" as const },
  { text: "donde puedo dormir esta noche", lang: "es" as const },
  { text: "es peligroso el darien", lang: "es" as const },
  { text: "how do i apply for asylum", lang: "en" as const },
];

describe("the built-in embedder", () => {
  const embedder = BuiltinEmbedder.fit(corpus);

  it("produces L2-normalised sparse vectors with sorted indices", () => {
    const v = embedder.embedOne("quiero pedir asilo en panama", "es");
    const norm = Math.sqrt(v.values.reduce((s, x) => s + x * x, 0));
    expect(norm).toBeCloseTo(1, 5);
    expect([...v.indices]).toEqual([...v.indices].sort((a, b) => a - b));
  });

  it("is robust to typos, missing accents and letter repetition", () => {
    const clean = embedder.embedOne("es peligroso el Darién", "es");
    expect(cosine(clean, embedder.embedOne("es peligrozo el dariennn", "es"))).toBeGreaterThan(0.5);
    expect(cosine(clean, embedder.embedOne("donde puedo dormir", "es"))).toBeLessThan(0.2);
  });

  it("gives an empty vector for text without words, never NaN", () => {
    const v = embedder.embedOne("🙏🙏", "es");
    expect(v.indices.length).toBe(0);
  });

  it("ranks intents through the inverted index like a brute-force cosine", async () => {
    const index = await IntentIndex.build(embedder, [
      { intent: "protection.asylum_apply", lang: "es", text: "quiero pedir asilo" },
      { intent: "help.shelter", lang: "es", text: "donde puedo dormir esta noche" },
      { intent: "risk.darien", lang: "es", text: "es peligroso el darien" },
    ]);
    const query = embedder.embedOne("kiero pedir asilo", "es");
    const scores = index.similarities(query);
    expect(scores[0]).toBeCloseTo(cosine(query, embedder.embedOne("quiero pedir asilo", "es")), 5);
    const ranked = await index.rank("kiero pedir asilo", "es");
    expect(ranked.intents[0]!.intent).toBe("protection.asylum_apply");
    expect(ranked.outOfScope).toBe(0);
  });
});
