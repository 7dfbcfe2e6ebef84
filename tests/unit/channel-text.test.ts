import { describe, expect, it } from "vitest";
import { telegramPieces, toTelegramHtml, MAX_MESSAGE } from "../../src/channels/telegram/render.js";
import { splitText, withNumberedOptions } from "../../src/channels/text.js";
import { isGsm7, segmentCount, smsLength, toGsmWhereClose } from "../../src/channels/twilio/gsm.js";
import { smsBodies } from "../../src/channels/twilio/render.js";
import { inlineKeyboard } from "../../src/channels/telegram/transport.js";
import { createTranslator } from "../../src/core/i18n/index.js";

const t = createTranslator()("es");

describe("splitting long replies", () => {
  it("keeps short text whole and splits long text at paragraphs, lines, then words", () => {
    expect(splitText("hola", 10)).toEqual(["hola"]);
    const pieces = splitText("uno dos tres\n\ncuatro cinco seis siete ocho", 15);
    expect(pieces.every((p) => p.length <= 15)).toBe(true);
    expect(pieces.join(" ")).toBe("uno dos tres cuatro cinco seis siete ocho");
  });

  it("cuts a single enormous word without breaking an emoji", () => {
    const pieces = splitText("🙏".repeat(30), 11);
    expect(pieces.every((p) => p.length <= 11 && !/[\uD800-\uDBFF]$/.test(p))).toBe(true);
    expect(pieces.join("")).toBe("🙏".repeat(30));
  });
});

describe("Telegram buttons", () => {
  it("shortens long labels without splitting an emoji", () => {
    const button = inlineKeyboard([{ id: "x", label: "🙏".repeat(80) }])[0]![0] as { text: string };
    expect(Array.from(button!.text)).toHaveLength(60);
    expect(button!.text.endsWith("…")).toBe(true);
    expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(button!.text)).toBe(false);
  });
});

describe("Telegram HTML", () => {
  it("escapes and turns *bold* into <b>", () => {
    expect(toTelegramHtml("*Hola* <script> & co")).toBe("<b>Hola</b> &lt;script&gt; &amp; co");
  });

  it("splits over 4096 characters into pieces that each fit", () => {
    const long = Array.from({ length: 400 }, (_, i) => `*Punto ${i}* texto <seguro> & largo`).join("\n");
    const pieces = telegramPieces(long);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(MAX_MESSAGE);
      expect(piece.match(/<b>/g)?.length).toBe(piece.match(/<\/b>/g)?.length);
    }
  });
});

describe("SMS encoding", () => {
  it("tells GSM-7 from UCS-2 and counts segments", () => {
    expect(isGsm7("Hola, ¿cómo estás?")).toBe(false);
    expect(isGsm7("Hola, ¿como estas? ñ é ü €")).toBe(true);
    expect(smsLength("€")).toBe(2);
    expect(segmentCount("a".repeat(160))).toBe(1);
    expect(segmentCount("a".repeat(161))).toBe(2);
    expect(segmentCount("á".repeat(70))).toBe(1);
    expect(segmentCount("á".repeat(71))).toBe(2);
  });

  it("swaps accents without a GSM-7 form, keeps those with one, and drops emoji", () => {
    expect(toGsmWhereClose("Información útil: “asilo” — ñandú 🙏")).toBe('Informacion util: "asilo" - ñandu');
    expect(isGsm7(toGsmWhereClose("Mwen bezwen èd, mèsi anpil"))).toBe(true);
  });

  it("numbers options and splits into parts of at most three segments", () => {
    const reply = { text: "x ".repeat(700), options: [{ id: "a", label: "Uno" }, { id: "b", label: "Dos" }] };
    const parts = smsBodies(reply, t);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts[0]).toMatch(/^\(1\/\d\) /);
    for (const part of parts) expect(segmentCount(part)).toBeLessThanOrEqual(3);
    expect(parts.at(-1)).toContain("2. Dos");
  });

  it("leaves room for two-digit part numbers", () => {
    const parts = smsBodies({ text: "palabra ".repeat(800) }, t);
    expect(parts.length).toBeGreaterThanOrEqual(10);
    for (const part of parts) expect(segmentCount(part)).toBeLessThanOrEqual(3);
    expect(parts.at(-1)).toMatch(new RegExp(`^\\(${parts.length}/${parts.length}\\) `));
  });

  it("adds 'reply with a number' only when the text does not say it", () => {
    expect(withNumberedOptions("¿En qué país estás?", { text: "", options: [{ id: "a", label: "Panamá" }] }, t)).toContain("Responde con un número");
    expect(withNumberedOptions("Responde con un número:", { text: "", options: [{ id: "a", label: "Panamá" }] }, t).match(/número/g)).toHaveLength(1);
  });
});
