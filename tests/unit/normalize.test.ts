import { describe, expect, it } from "vitest";
import { foldText, MAX_ANALYSED_CHARS, normalizeText } from "../../src/core/text/normalize.js";

describe("text normalisation", () => {
  it("folds case, accents, punctuation and letter repetition", () => {
    expect(foldText("¡¡AYUDAAAA!! Necesito   ayúda 🙏")).toBe("ayuda necesito ayuda");
    expect(foldText("Mèsi anpil!!!")).toBe("mesi anpil");
    expect(foldText("l'asile, s'il vous plaît")).toBe("l asile s il vous plait");
  });

  it("keeps legitimate double letters", () => {
    expect(foldText("llamar carro")).toBe("llamar carro");
  });

  it("expands SMS spellings of the message's language only", () => {
    expect(normalizeText("xq no me ayudan, q hago", "es")).toBe("porque no me ayudan que hago");
    expect(normalizeText("m bezwen ed", "ht")).toBe("mwen bezwen ed");
    expect(normalizeText("vc pode me ajudar pq to perdido", "pt")).toBe("voce pode me ajudar porque estou perdido");
    expect(normalizeText("pls help me im lost", "en")).toBe("please help me i am lost");
    expect(normalizeText("m bezwen ed")).toBe("m bezwen ed");
  });

  it("bounds the work on huge messages", () => {
    expect(foldText("a ".repeat(100_000)).length).toBeLessThanOrEqual(MAX_ANALYSED_CHARS);
  });

  it("survives any Unicode: NUL, zero-width, right-to-left, emoji only", () => {
    for (const text of ["\u0000", "\u200b\u200b", "مرحبا بك", "🙏🙏🙏", "", " \n\t "]) {
      expect(() => normalizeText(text, "es")).not.toThrow();
    }
    expect(foldText("🙏🙏🙏")).toBe("");
  });
});
