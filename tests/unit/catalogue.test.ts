import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCatalogue, PROJECT_ROOT } from "../../src/catalog/files.js";
import { checkCatalogue, MIN_EXAMPLES_PER_LANGUAGE } from "../../src/core/intent-examples.js";
import { INTENT_IDS } from "../../src/core/intents.js";
import { LANGS } from "../../src/core/languages.js";
import { foldText } from "../../src/core/text/normalize.js";
import { loadEvalSet } from "../../src/cli/evaluation.js";

const catalogue = loadCatalogue();

describe("the intent catalogue", () => {
  it("has exactly one example file per intent ID", () => {
    expect(checkCatalogue(catalogue.intents)).toEqual([]);
    expect(catalogue.intents.map((f) => f.id).sort()).toEqual([...INTENT_IDS].sort());
  });

  it(`has at least ${MIN_EXAMPLES_PER_LANGUAGE} distinct examples per language for every intent`, () => {
    for (const file of catalogue.intents) {
      for (const lang of LANGS) {
        expect(new Set(file.examples[lang].map(foldText)).size, `${file.id} ${lang}`).toBeGreaterThanOrEqual(MIN_EXAMPLES_PER_LANGUAGE);
      }
    }
  });

  it("does not reuse dev-eval sentences as examples (the eval must measure generalisation)", () => {
    const counterExamples = LANGS.flatMap((l) => catalogue.outOfScope?.[l] ?? []);
    const examples = new Set([...catalogue.intents.flatMap((f) => LANGS.flatMap((l) => f.examples[l])), ...counterExamples].map(foldText));
    const reused = loadEvalSet(join(PROJECT_ROOT, "tests", "eval")).filter((item) => examples.has(foldText(item.text)));
    expect(reused.map((r) => r.text)).toEqual([]);
  });
});

describe("the content library", () => {
  it("keeps phone numbers, fees and figures out of the general answers: they belong to a country, with its sources", () => {
    for (const entry of catalogue.content.filter((e) => e.country === null)) {
      expect(`${entry.summary} ${entry.body}`, entry.origin).not.toMatch(/\d{3,}|\$\s?\d|\d+\s?(usd|dólares|dollars)/i);
    }
  });
});
