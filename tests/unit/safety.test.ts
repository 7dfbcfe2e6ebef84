import { describe, expect, it } from "vitest";
import type { Lang } from "../../src/core/languages.js";
import { SAFETY_PHRASES } from "../../src/core/safety/phrases/index.js";
import { SAFETY_CATEGORIES, SafetyScreen, type SafetyCategory } from "../../src/core/safety/screen.js";
import { isBareHelpRequest } from "../../src/core/engine/words.js";

const screen = new SafetyScreen(SAFETY_PHRASES);

/** Real situations, written the way people in distress write: they must force a handoff, in the right category. */
const URGENT: [Lang, SafetyCategory, string][] = [
  ["es", "danger", "auxilio estamos perdidos en la selva"],
  ["es", "danger", "nos estan persiguiendo unos hombres armados"],
  ["es", "trafficking", "el patron nos quito los pasaportes y no nos deja salir"],
  ["es", "violence", "me violaron en el camino"],
  ["es", "child_alone", "tengo 15 años y estoy solo"],
  ["es", "detention", "me detuvo migracion y me quieren deportar"],
  ["es", "missing", "mi hermano desaparecio en la selva"],
  ["es", "self_harm", "ya no quiero vivir"],
  ["es", "human", "quiero hablar con una persona"],
  ["en", "danger", "help we are lost in the jungle"],
  ["en", "trafficking", "my boss took my passport and locks us in at night"],
  ["en", "violence", "i was raped"],
  ["en", "self_harm", "i want to kill myself"],
  ["en", "detention", "i was arrested by immigration"],
  ["en", "human", "i want to talk to a human"],
  ["fr", "danger", "on est perdus dans la jungle aidez nous"],
  ["fr", "self_harm", "je veux mourir"],
  ["fr", "missing", "mon frere a disparu"],
  ["fr", "human", "je veux parler a quelqu un"],
  ["ht", "danger", "nou pedi nan fore a"],
  ["ht", "self_harm", "m vle touye tet mwen"],
  ["ht", "violence", "yo vyole m"],
  ["ht", "detention", "imigrasyon arete mwen"],
  ["ht", "human", "mwen vle pale ak yon moun"],
  ["pt", "danger", "socorro estamos perdidos na selva"],
  ["pt", "self_harm", "eu quero morrer"],
  ["pt", "trafficking", "pegaram nossos passaportes e nao deixam a gente sair"],
  ["pt", "human", "quero falar com uma pessoa"],
  ["es", "danger", "si no me ayudan me matan"],
  ["en", "danger", "my friend fell in the river and he cant swim"],
  ["fr", "self_harm", "jvais me tuer ce soir"],
  ["pt", "danger", "meu filho caiu no rio e nao sabe nadar"],
];

/** Questions about a topic, and everyday messages: the matcher answers these, the screen must stay quiet. */
const INFORMATIONAL: string[] = [
  "que es la trata de personas",
  "cuales son las señales de trata",
  "es peligroso el darien?",
  "como pido asilo en mexico",
  "donde hay un albergue",
  "hola buenas tardes",
  "gracias",
  "what are the signs of trafficking",
  "where can women who suffered violence get help",
  "how do i apply for asylum",
  "c est quoi la traite des personnes",
  "kisa trafik moun ye",
  "kijan pou m mande azil",
  "o que e trafico de pessoas",
  "onde tem abrigo",
  "mon telephone est tombe dans l'eau, comment le reparer",
  "I got a deportation order, can a lawyer help me appeal?",
];

describe("the safety screen", () => {
  it("has phrases for every category in every language", () => {
    for (const [lang, phrases] of Object.entries(SAFETY_PHRASES)) {
      for (const category of SAFETY_CATEGORIES) expect(phrases[category].length, `${lang} ${category}`).toBeGreaterThanOrEqual(10);
    }
  });

  it.each(URGENT)("[%s] flags %s: %s", (lang, category, text) => {
    expect(screen.screen(text, lang)?.category).toBe(category);
  });

  it("hears a cry for help even when the language was detected wrong", () => {
    expect(screen.screen("auxilio estamos perdidos en la selva", "ht")?.category).toBe("danger");
    expect(screen.screen("m vle touye tet mwen", "fr")?.category).toBe("self_harm");
  });

  it("survives accents, capitals, repeated letters and punctuation", () => {
    expect(screen.screen("AUXILIOOO!!! estamos PERDIDOS en la selvaaa", "es")?.category).toBe("danger");
    expect(screen.screen("Mwen vle touye tèt mwen...", "ht")?.category).toBe("self_harm");
  });

  it.each(INFORMATIONAL)("stays quiet for: %s", (text) => {
    expect(screen.screen(text)).toBeNull();
  });

  it("never combines words of two sentences into one phrase", () => {
    // "gente armada que roba" + "Me da miedo": without clause boundaries "armad* ~ me" would match.
    expect(screen.screen("es verdad que hay gente armada que roba? Me da miedo ir con mi mama", "es")).toBeNull();
  });

  it("flags a hypothetical question as such, so the matcher can answer it", () => {
    const hit = screen.screen("que pasa si el guia nos abandono en la selva?", "es");
    expect(hit?.hypothetical).toBe(true);
    expect(screen.screen("el guia nos abandono en la selva", "es")?.hypothetical).toBe(false);
  });

  it("never treats self-harm as hypothetical", () => {
    expect(screen.screen("what if i kill myself?", "en")).toMatchObject({ category: "self_harm", hypothetical: false });
  });
});

describe("a bare request for help", () => {
  it.each(["necesito ayuda", "ayuda por favor", "help", "i need help please", "aidez moi svp", "mwen bezwen èd", "preciso de ajuda"])(
    "%s is a bare request",
    (text) => expect(isBareHelpRequest(text)).toBe(true),
  );
  it.each(["necesito ayuda con mi asilo", "ayuda nos persiguen", "hola", "me"])("%s is not", (text) => expect(isBareHelpRequest(text)).toBe(false));
  it("but a repeated cry for help is still screened as danger", () => {
    expect(screen.screen("ayuda ayuda", "es")?.category).toBe("danger");
    expect(screen.screen("ayuda nos persiguen", "es")?.category).toBe("danger");
  });
});
