import i18next from "i18next";
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

  it.each(LANGS)("%s fills every placeholder exactly as i18next does, a variable missing or a count given included", (lang) => {
    const reference = i18next.createInstance();
    void reference.init({
      resources: { [lang]: { translation: MESSAGES[lang] } },
      lng: lang,
      initAsync: false,
      interpolation: { escapeValue: false },
    });
    const translate = createTranslator()(lang);
    const varied: Record<string, string | number>[] = [
      { sources: "WHO https://who.int\n$1 {{x}}", country: "Côte & Co", minutes: 15, day: "lunes", time: "08:00", zone: "UTC-5", days: 90, caseDays: 365 },
      { country: "Panamá" },
      { count: 2, days: 30, caseDays: 0 },
    ];
    for (const [key] of messageEntries(MESSAGES[lang])) {
      for (const vars of varied) {
        // Twice: the second time from what the first kept.
        for (let round = 0; round < 2; round++) expect(translate(key, vars), `${lang}:${key}`).toBe(reference.t(key, vars));
      }
    }
  });

  it("interpolates without HTML escaping (channels escape for themselves)", () => {
    expect(createTranslator()("en")("country.saved", { country: "Côte & Co" })).toContain("Côte & Co");
  });
});
