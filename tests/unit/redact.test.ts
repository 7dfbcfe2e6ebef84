import { describe, expect, it } from "vitest";
import { MAX_QUESTION_CHARS, redact, redactQuestion } from "../../src/core/insights/redact.js";

/** What is kept of a question for the content team: the words of the question, nothing that points at a person. */
describe("redacting a kept question", () => {
  it.each([
    ["mi número es +1 (555) 010-0142, llámenme", "mi número es [number], llámenme"],
    ["call me at 555-0199 or 555.0123", "call me at [number] or [number]"],
    ["me cobraron $1,500 dólares y 300.000 pesos", "me cobraron $[number] dólares y [number] pesos"],
    ["salí el 12/03/2026 con 3 niños", "salí el [number] con [number] niños"],
    ["mi pasaporte es AB1234567", "mi pasaporte es AB[number]"],
    ["escríbeme a ana.perez+migra@example.org", "escríbeme a [email]"],
    ["mira https://example.org/asilo?x=1 y www.example.com", "mira [link] y [link]"],
    ["el link wa.me/15550100 y migracion.gob.pa", "el link [link] y [link]"],
    ["búscame en insta @ana_perez.99", "búscame en insta [@]"],
  ])("%s", (text, expected) => {
    expect(redact(text)).toBe(expected);
  });

  it.each([
    ["Me llamo Juan Pérez García y necesito ayuda", "Me llamo [name] y necesito ayuda"],
    ["hola me llamo ana maria, tengo miedo", "hola me llamo [name], tengo miedo"],
    ["mi nombre es: Rosa Elena. donde duermo?", "mi nombre es [name]. donde duermo?"],
    ["MI NOMBRE ES Luis", "MI NOMBRE ES [name]"],
    ["My name is John Smith and I need help", "My name is [name] and I need help"],
    ["my name's Bob, where is the shelter", "my name's [name], where is the shelter"],
    ["my name’s Bob", "my name’s [name]"],
    ["je m'appelle Marie-Claire Dupont et j'ai peur", "je m'appelle [name] et j'ai peur"],
    ["Je m’appelle jean", "Je m’appelle [name]"],
    ["JE M APPELLE Paul", "JE M APPELLE [name]"],
    ["Mwen rele Jean Baptiste, m bezwen èd", "Mwen rele [name], m bezwen èd"],
    ["m rele rose ak pitit mwen", "m rele [name] ak pitit mwen"],
    ["Bonjou mwen rele Wideline epi mwen bezwen kay", "Bonjou mwen rele [name] epi mwen bezwen kay"],
    ["Meu nome é João da Silva Santos e preciso de ajuda", "Meu nome é [name] Santos e preciso de ajuda"],
    ["meu nome e joao", "meu nome e [name]"],
    ["me chamo Ana e estou com medo", "me chamo [name] e estou com medo"],
  ])("%s", (text, expected) => {
    expect(redact(text)).toBe(expected);
  });

  it("keeps the rest of the question, on one line", () => {
    expect(redact("¿Dónde puedo dormir\nen Panamá esta noche?")).toBe("¿Dónde puedo dormir en Panamá esta noche?");
    expect(redact("tengo miedo.es peligroso cruzar?")).toBe("tengo miedo.es peligroso cruzar?");
    expect(redact("how do I ask for asylum")).toBe("how do I ask for asylum");
  });

  it("redacts everything planted in one message", () => {
    const text = "Hola, me llamo Carmen Rojas, mi whatsapp es +507 555 0142 y mi correo carmen.rojas@example.com, @carmenr en fb";
    const redacted = redact(text);
    for (const planted of ["Carmen", "Rojas", "555", "0142", "507", "carmen.rojas", "example", "@carmenr"]) expect(redacted).not.toContain(planted);
    expect(redacted).toBe("Hola, me llamo [name], mi whatsapp es [number] y mi correo [email], [@] en fb");
  });

  it("cuts a long message", () => {
    const redacted = redact("necesito ayuda ".repeat(100));
    expect(Array.from(redacted)).toHaveLength(MAX_QUESTION_CHARS);
    expect(redacted.endsWith("…")).toBe(true);
  });

  it("keeps nothing when no words are left", () => {
    expect(redactQuestion("+1 555 010 0142")).toBeNull();
    expect(redactQuestion("me llamo Ana")).toBe("me llamo [name]");
    expect(redactQuestion("👍 ?")).toBeNull();
    expect(redactQuestion("ana@example.org https://example.org")).toBeNull();
    expect(redactQuestion("albergue")).toBe("albergue");
  });
});
