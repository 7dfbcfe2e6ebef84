import { describe, expect, it } from "vitest";
import { createI18next, createTranslator, MESSAGES, messageEntries } from "../../src/core/i18n/index.js";
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

  it.each(LANGS)("%s fills every placeholder exactly as the service's i18next instance does", (lang) => {
    const reference = createI18next().getFixedT(lang);
    const translate = createTranslator()(lang);
    // Every placeholder name of the locales, with values that a careless fill would get wrong: replacement
    // patterns ($&, $$, $`, $'), a value holding another placeholder of the same string, i18next syntax.
    const all = { sources: "WHO $& $$ $` $' https://who.int", country: "Côte & Co {{country}}", minutes: 15, day: "{{time}}", time: "08:00 $t(menu.prompt)", zone: "UTC-5", days: 0, caseDays: 365 };
    const sets: Record<string, string | number>[] = [
      all,
      { country: "Panamá" },
      { sources: "x" },
      { days: 30 },
      { days: 30, caseDays: 1 },
      { day: "lunes", time: "08:00", zone: "UTC-5" },
      { count: 2, days: 30, caseDays: 0 },
      { country: "Chile", context: "male" },
      { country: "Chile", lng: "fr" },
      { sources: "x", defaultValue: "d" },
    ];
    const texts = new Map(messageEntries(MESSAGES[lang]));
    for (const key of [...texts.keys(), "answer", "no.such.key"]) {
      // Exactly the string's own variables, with the awkward values (what the service passes, so the path it takes).
      const own = Object.fromEntries([...(texts.get(key) ?? "").matchAll(/\{\{(\w+)\}\}/g)].map(([, name]) => [name!, all[name as keyof typeof all]]));
      for (const vars of [own, ...sets]) {
        // Twice: the second time from what the first kept.
        for (let round = 0; round < 2; round++) expect(translate(key, vars), `${lang}:${key} ${JSON.stringify(vars)}`).toBe(reference(key, vars));
      }
    }
  });

  it("interpolates without HTML escaping (channels escape for themselves)", () => {
    expect(createTranslator()("en")("country.saved", { country: "Côte & Co" })).toContain("Côte & Co");
  });
});
