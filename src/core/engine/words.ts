import type { Lang } from "../languages.js";
import { foldText } from "../text/normalize.js";

/** Small closed vocabularies the engine and the interpreter recognise directly, folded (no accents). */

const YES = new Set(["si", "yes", "oui", "wi", "sim", "s", "y", "ok", "okay", "dale", "claro", "wi wi", "yeah", "yep", "bien sur", "confirmo", "confirm", "d accord", "dakor", "pou sa", "isso"]);
const NO = new Set(["no", "non", "nao", "n", "nope", "pa", "nah", "cancelar", "cancel", "annuler", "anile", "jamais"]);

export function isYes(text: string): boolean {
  return YES.has(foldText(text));
}

export function isNo(text: string): boolean {
  return NO.has(foldText(text));
}

/** "MORE" in the five languages: on SMS, the whole of the last answer. */
const MORE = new Set(["more", "mas", "plus", "plis", "pli", "mais", "+", "more info", "mas info", "ver mas", "leer mas", "ver mais"]);

export function isMoreWord(text: string): boolean {
  return MORE.has(foldText(text).replace(/[.!]+$/, ""));
}

/** "menu" / "bot" in the five languages: back to the automatic assistant from a caseworker conversation. */
const LEAVE = new Set(["menu", "meni", "bot", "robot", "robo", "asistente", "assistant", "asistan", "assistente", "start", "inicio"]);

export function isLeaveWord(text: string): boolean {
  return LEAVE.has(foldText(text).replace(/^\//, ""));
}

/** Names of the five languages as people write them, in the five languages. */
const LANGUAGE_WORDS: Record<Lang, string[]> = {
  es: ["espanol", "spanish", "espagnol", "panyol", "espanyol", "espanhol", "castellano", "castillan"],
  en: ["ingles", "english", "anglais", "angle", "angles", "inglish", "engles"],
  fr: ["frances", "french", "francais", "franse", "fransè", "franses", "fransais", "francès"],
  ht: ["creole", "kreyol", "kreol", "criollo", "crioulo", "creol", "kreyol ayisyen", "haitian creole", "creole haitien", "haitiano", "ayisyen"],
  pt: ["portugues", "portuguese", "portugais", "potige", "portige", "portugais", "potigè", "brasileiro"],
};

/** The language a message names ("in english pls", "an kreyol"), if exactly one is named. */
export function namedLanguage(text: string): Lang | null {
  const folded = ` ${foldText(text)} `;
  const found = (Object.keys(LANGUAGE_WORDS) as Lang[]).filter((lang) =>
    LANGUAGE_WORDS[lang].some((word) => folded.includes(` ${foldText(word)} `)),
  );
  return found.length === 1 ? found[0]! : null;
}

/**
 * Words of a bare, unspecific request for help in the five languages ("necesito ayuda por favor", "mwen bezwen
 * èd", "help"). Such a message gets the menu, which lists what help exists, a person included. As soon as one
 * other word appears ("ayuda con mi asilo") the matcher decides, and the safety screen always runs first.
 */
const HELP_WORDS = new Set([
  // es
  "necesito", "nesecito", "nececito", "ayuda", "ayudame", "ayudeme", "ayudenme", "ayudar", "pueden", "puede", "puedes",
  "me", "una", "un", "poco", "por", "favor", "porfa", "xfa", "pls", "quiero", "busco",
  // en
  "i", "need", "help", "please", "pls", "plz", "can", "you", "u", "me", "some", "want", "a", "little",
  // fr
  "j", "ai", "besoin", "d", "de", "aide", "aidez", "aider", "moi", "m", "svp", "stp", "vous", "tu", "pouvez", "peux",
  // ht
  "mwen", "mw", "bezwen", "ed", "ede", "souple", "tanpri", "eske", "w", "ou", "ka", "yon", "ti", "sil", "vouple",
  // pt
  "eu", "preciso", "ajuda", "ajudar", "ajude", "ajudem", "pfv", "pf", "vc", "voce", "pode", "podem", "uma", "quero",
]);
const HELP_CORE = new Set(["ayuda", "ayudame", "ayudeme", "ayudenme", "ayudar", "help", "aide", "aidez", "aider", "ed", "ede", "ajuda", "ajudar", "ajude", "ajudem"]);

export function isBareHelpRequest(text: string): boolean {
  const words = foldText(text).split(" ").filter((w) => w !== "");
  return words.length > 0 && words.length <= 8 && words.some((w) => HELP_CORE.has(w)) && words.every((w) => HELP_WORDS.has(w));
}

/** A bare 👍 or 👎 (any skin tone, repeated or not): a rating when an answer may be rated. */
const THUMBS = /^\s*(?:(👍)|(👎))(?:[\u{1F3FB}-\u{1F3FF}\uFE0F]|\1|\2)*\s*$/u;

export function thumbs(text: string): "up" | "down" | null {
  const match = THUMBS.exec(text);
  return match ? (match[1] ? "up" : "down") : null;
}
