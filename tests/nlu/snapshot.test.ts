import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildSnapshot, createAssistant } from "../../src/assistant.js";
import { loadCatalogue, PROJECT_ROOT } from "../../src/catalog/files.js";
import { loadEvalSet } from "../../src/cli/evaluation.js";
import { decodeSnapshot, encodeSnapshot, SnapshotError } from "../../src/nlu/snapshot.js";

/** The Worker loads what the built-in matcher learned instead of training: it must decide exactly the same. */
describe("index snapshots", () => {
  it("round-trips through bytes and gives the same readings as training, message for message", async () => {
    const catalogue = loadCatalogue();
    const bytes = encodeSnapshot(await buildSnapshot(catalogue));
    const loaded = await createAssistant(catalogue, { snapshot: decodeSnapshot(bytes), contentChecked: true });
    const trained = await createAssistant(catalogue, { contentChecked: true });
    expect(loaded.indexSource).toBe("snapshot");
    expect(trained.indexSource).toBe("embedded");
    expect(loaded.embedderId).toBe(trained.embedderId);
    for (const item of loadEvalSet(join(PROJECT_ROOT, "tests", "eval"))) {
      const [a, b] = await Promise.all([loaded.interpreter.interpret(item.text), trained.interpreter.interpret(item.text)]);
      expect({ text: item.text, lang: a.language.lang, intent: a.intent, confidence: a.confidence, handoff: a.handoff }).toEqual({
        text: item.text,
        lang: b.language.lang,
        intent: b.intent,
        confidence: b.confidence,
        handoff: b.handoff,
      });
    }
    console.log(`snapshot: ${(bytes.length / 1024).toFixed(0)} KiB; built from scratch in ${Math.round(trained.buildMs)} ms, loaded in ${Math.round(loaded.buildMs)} ms`);
  });

  it("is ignored when the catalogue changed since it was built, and refused when damaged", async () => {
    const catalogue = loadCatalogue();
    const snapshot = await buildSnapshot(catalogue);
    const changed = { ...catalogue, intents: catalogue.intents.map((f, i) => (i === 0 ? { ...f, examples: { ...f.examples, es: [...f.examples.es, "un ejemplo nuevo"] } } : f)) };
    expect((await createAssistant(changed, { snapshot, contentChecked: true })).indexSource).toBe("embedded");
    const bytes = encodeSnapshot(snapshot);
    expect(() => decodeSnapshot(bytes.subarray(0, bytes.length - 100))).toThrow(SnapshotError);
    expect(() => decodeSnapshot(new TextEncoder().encode("not a snapshot at all"))).toThrow(SnapshotError);
  });
});
