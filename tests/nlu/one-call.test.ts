import { describe, expect, it } from "vitest";
import { createAssistant, intentExamples } from "../../src/assistant.js";
import { loadCatalogue } from "../../src/catalog/files.js";
import type { Lang } from "../../src/core/languages.js";
import type { Embedder, Embedding } from "../../src/core/ports.js";
import { BuiltinEmbedder } from "../../src/nlu/builtin-embedder.js";

/** A neural model's cost is per call: a message, even a long one read sentence by sentence, is one call. */
class CountingEmbedder implements Embedder {
  calls: number[] = [];
  constructor(private readonly inner: Embedder) {}
  get id(): string {
    return this.inner.id;
  }
  embed(texts: readonly string[], lang?: Lang): Promise<Embedding[]> {
    this.calls.push(texts.length);
    return this.inner.embed(texts, lang);
  }
}

describe("embedding calls per message", () => {
  it("embeds a short message once, and a long one with its sentences in a single call", async () => {
    const catalogue = loadCatalogue();
    const counterExamples = Object.entries(catalogue.outOfScope ?? {}).flatMap(([lang, texts]) => texts.map((text) => ({ text, lang: lang as Lang })));
    const embedder = new CountingEmbedder(BuiltinEmbedder.fit([...intentExamples(catalogue.intents), ...counterExamples]));
    const assistant = await createAssistant(catalogue, { embedder });
    embedder.calls = [];
    await assistant.interpreter.interpret("donde pido asilo");
    expect(embedder.calls).toEqual([1]);
    embedder.calls = [];
    const long = "Hola buenas noches, estoy en Necoclí con mi esposa y mis dos hijos. Queremos cruzar la selva la otra semana. ¿Cuáles son los peligros del Darién?";
    const reading = await assistant.interpreter.interpret(long);
    expect(embedder.calls).toEqual([4]);
    expect(reading.intent).toBe("risk.darien");
  });
});
