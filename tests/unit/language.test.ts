import { describe, expect, it } from "vitest";
import type { Lang } from "../../src/core/languages.js";
import { realAssistant } from "../support/assistant.js";

/** Language detection through the interpreter (the same path the engine and `classify` use), without fastText. */
async function detect(text: string, context: { current?: Lang; hint?: Lang } = {}) {
  const { interpreter } = await realAssistant();
  return (await interpreter.interpret(text, context)).language;
}

describe("language detection", () => {
  it.each([
    ["mwen bezwen ed", "ht"],
    ["m pa gen papye", "ht"],
    ["mesi anpil", "ht"],
    ["kote m ka dòmi aswè a", "ht"],
    ["necesito ayuda para pedir asilo", "es"],
    ["donde puedo dormir esta noche", "es"],
    ["where can i sleep tonight", "en"],
    ["i need help with my asylum case", "en"],
    ["ou est ce que je peux dormir ce soir", "fr"],
    ["j'ai besoin d'aide pour demander l'asile", "fr"],
    ["onde posso dormir hoje", "pt"],
    ["preciso de ajuda para pedir refugio", "pt"],
  ] as const)("%s → %s", async (text, lang) => {
    expect((await detect(text)).lang).toBe(lang);
  });

  it("decides very short messages by their words", async () => {
    expect((await detect("gracias")).lang).toBe("es");
    expect((await detect("mèsi")).lang).toBe("ht");
    expect((await detect("obrigado")).lang).toBe("pt");
    expect((await detect("merci")).lang).toBe("fr");
    expect((await detect("thanks")).lang).toBe("en");
  });

  it("does not let a one-word message flip an established conversation", async () => {
    expect((await detect("ok", { current: "ht" })).lang).toBe("ht");
    expect((await detect("gracias", { current: "ht" })).lang).toBe("ht");
    expect((await detect("merci", { current: "pt" })).lang).toBe("pt");
  });

  it("follows a real change of language", async () => {
    expect((await detect("hello i need information about asylum please", { current: "es" })).lang).toBe("en");
  });

  it("uses the channel's hint when the words say nothing", async () => {
    expect((await detect("ok", { hint: "fr" })).lang).toBe("fr");
  });

  it("recognises text in other scripts as unsupported", async () => {
    expect((await detect("Мне нужна помощь")).supported).toBe(false);
    expect((await detect("我需要帮助")).supported).toBe(false);
  });
});
