import { describe, expect, it } from "vitest";
import { createTranslator, MESSAGES, messageEntries } from "../../src/core/i18n/index.js";
import { LANGS } from "../../src/core/languages.js";

describe("system strings", () => {
  const texts = (lang: (typeof LANGS)[number]) => new Map(messageEntries(MESSAGES[lang]));
  const reference = [...texts("en").keys()].sort();

  it.each(LANGS)("%s has every key, none empty", (lang) => {
    const keys = [...texts(lang).keys()].sort();
    expect(keys).toEqual(reference);
    const translate = createTranslator()(lang);
    for (const key of keys) {
      const text = translate(key, { country: "X", sources: "Y" });
      expect(text, `${lang}:${key}`).not.toBe(key);
      expect(text.trim().length, `${lang}:${key}`).toBeGreaterThan(0);
    }
  });

  it.each(LANGS)("%s keeps every placeholder of the English text", (lang) => {
    const placeholders = (text: string | undefined) => (text?.match(/\{\{\w+\}\}/g) ?? []).sort();
    const english = texts("en");
    for (const [key, text] of texts(lang)) {
      expect(placeholders(text), `${lang}:${key}`).toEqual(placeholders(english.get(key)));
    }
  });

  it("interpolates without HTML escaping (channels escape for themselves)", () => {
    expect(createTranslator()("en")("country.saved", { country: "Côte & Co" })).toContain("Côte & Co");
  });
});
