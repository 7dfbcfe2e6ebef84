import { LANGS, isLang, type Lang } from "../languages.js";
import { foldText, tokens } from "../text/normalize.js";
import type { NgramLanguageModel } from "./ngram-model.js";

/**
 * Language detection for the five languages: our own n-gram model first, fastText as a second opinion for
 * es/en/fr/pt and for spotting other languages, the channel's hint, the conversation's current language, and
 * rules for very short messages.
 */

/** A second-opinion detector (fastText lid.176 on Node). `code` is an ISO 639-1 code or null. */
export interface LanguageOracle {
  identify(text: string): Promise<{ code: string | null; probability: number }[]>;
}

export interface LanguageContext {
  /** The conversation's established language, if any. */
  current?: Lang | undefined;
  /** A hint from the channel (Telegram's language_code) or the API caller. */
  hint?: Lang | undefined;
}

export type DetectedLanguage =
  | { supported: true; lang: Lang; confidence: number; source: "model" | "short" | "sticky" | "hint" | "default" }
  | { supported: false; lang: Lang; confidence: number; source: "script" | "other" };

/**
 * Words that decide the language of a one- or two-word message on their own. Words shared by two languages
 * ("no", "ok", "menu", "socorro", "non") are deliberately absent.
 */
const SHORT_WORDS: Record<Lang, string[]> = {
  es: ["hola", "gracias", "buenas", "buenos", "ayuda", "ayudame", "auxilio", "si", "vale", "chao", "adios", "porfa", "necesito", "quiero", "donde", "ayudenme", "bueno", "listo", "dale", "graciass", "muchas", "grax", "grasias", "holaa", "buenass"],
  en: ["hi", "hello", "thanks", "thank", "yes", "help", "please", "bye", "hey", "thx", "need", "where", "okay", "good", "morning", "cheers", "main", "hii"],
  fr: ["bonjour", "merci", "salut", "oui", "bonsoir", "aide", "aidez", "moi", "besoin", "ou", "svp", "stp", "beaucoup", "bien", "daccord", "slt", "bjr", "bsr", "mrc", "coucou"],
  ht: ["bonjou", "bonswa", "mesi", "wi", "anpil", "mwen", "sak", "pase", "kijan", "ede", "souple", "tanpri", "alo", "mezanmi", "kote", "bezwen", "anmwe", "ki", "sa", "m", "mw", "nap", "bondye", "beni", "ou"],
  pt: ["oi", "obrigado", "obrigada", "sim", "tchau", "ajuda", "ajudem", "bom", "valeu", "preciso", "quero", "onde", "obg", "blz", "beleza", "tudo", "nao", "bem"],
};
/**
 * Words written the same way in several of the five languages. A message made only of them ("menu", "ok",
 * "no") says nothing about the language: it keeps the conversation's, the channel's hint, or Spanish, the
 * language most people on these routes write in.
 */
const SHARED_WORDS = new Set(["ok", "okay", "oki", "k", "no", "menu", "info", "sos", "socorro", "bot", "taxi", "whatsapp", "telegram", "wifi", "humano", "agente"]);
const SHORT_LOOKUP = new Map<string, Lang[]>();
for (const lang of LANGS) {
  for (const word of SHORT_WORDS[lang]) SHORT_LOOKUP.set(word, [...(SHORT_LOOKUP.get(word) ?? []), lang]);
}

/** fastText's usual answers for short Kreyòl: never take them as evidence of another language. */
const CREOLE_CONFUSERS = new Set(["fr", "en", "oc", "ca", "it", "gl", "la", "wa", "br", "co", "ia", "eo", "ht", "io", "nl"]);

/** Shares of known words below which a message is another language (with and without fastText's opinion). */
const NEARLY_NONE_KNOWN = 0.15;
const FEW_KNOWN = 0.3;

const LATIN_LETTER = /\p{Script=Latin}/u;
const ANY_LETTER = /\p{L}/u;

function shortMessageVote(words: string[]): Lang | null {
  const votes = new Map<Lang, number>();
  for (const word of words) {
    const langs = SHORT_LOOKUP.get(word);
    if (langs?.length === 1) votes.set(langs[0]!, (votes.get(langs[0]!) ?? 0) + 1);
  }
  const ranked = [...votes].sort((a, b) => b[1] - a[1]);
  if (ranked.length === 0 || (ranked.length > 1 && ranked[0]![1] === ranked[1]![1])) return null;
  return ranked[0]![0];
}

function mostlyNonLatin(text: string): boolean {
  let letters = 0;
  let latin = 0;
  for (const ch of text) {
    if (!ANY_LETTER.test(ch)) continue;
    letters++;
    if (LATIN_LETTER.test(ch)) latin++;
  }
  return letters >= 2 && latin / letters < 0.5;
}

export class LanguageDetector {
  constructor(
    private readonly model: NgramLanguageModel,
    private readonly oracle?: LanguageOracle,
  ) {}

  async detect(text: string, context: LanguageContext = {}): Promise<DetectedLanguage> {
    const fallback: Lang = context.current ?? context.hint ?? "es";
    if (mostlyNonLatin(text)) return { supported: false, lang: fallback, confidence: 1, source: "script" };
    const words = tokens(foldText(text)).filter((w) => !/^\d+$/.test(w));
    if (words.length === 0) {
      return { supported: true, lang: fallback, confidence: 0, source: context.current || context.hint ? "sticky" : "default" };
    }

    if (words.length <= 2) {
      const vote = shortMessageVote(words);
      // A one-word message never flips an established conversation ("ok", "gracias" in the middle of a
      // Kreyòl conversation are just words); two decisive words of another language do.
      if (context.current && (words.length === 1 || !vote || vote === context.current)) {
        return { supported: true, lang: context.current, confidence: 1, source: "sticky" };
      }
      if (vote) return { supported: true, lang: vote, confidence: 0.9, source: "short" };
      if (context.hint) return { supported: true, lang: context.hint, confidence: 0.6, source: "hint" };
      if (words.every((w) => SHARED_WORDS.has(w))) return { supported: true, lang: fallback, confidence: 0.3, source: "default" };
    }

    const { probabilities, familiarity, knownWords } = this.model.score(text);
    // Almost no word we have ever seen: another language, whatever its letters look like.
    if (words.length >= 4 && knownWords < NEARLY_NONE_KNOWN) {
      return { supported: false, lang: fallback, confidence: 1 - knownWords, source: "other" };
    }
    const combined: Record<Lang, number> = { ...probabilities };
    const opinion = this.oracle && words.length >= 2 ? await this.oracle.identify(text) : [];
    const top = opinion[0];
    const kreyol = probabilities.ht;
    if (top && kreyol < 0.5) {
      if (words.length >= 3 && top.probability >= 0.8 && (top.code === null || !CREOLE_CONFUSERS.has(top.code)) && !isLang(top.code) && familiarity < 0.9) {
        return { supported: false, lang: fallback, confidence: top.probability, source: "other" };
      }
      for (const lang of LANGS) {
        if (lang === "ht") continue;
        const p = opinion.find((o) => o.code === lang)?.probability ?? 0;
        combined[lang] = 0.6 * combined[lang] + 0.4 * p;
      }
    } else if (!top && words.length >= 3 && (knownWords < FEW_KNOWN || familiarity < 0.55)) {
      // Without fastText (Workers), few known words or many unseen trigrams are the sign of a language we do
      // not speak ("Guten Tag, ich brauche Hilfe": familiar letters, unknown words).
      return { supported: false, lang: fallback, confidence: 1 - knownWords, source: "other" };
    }
    if (context.hint) combined[context.hint] *= 1.5;
    if (context.current) combined[context.current] *= words.length <= 4 ? 2 : 1.3;

    let best: Lang = LANGS[0];
    for (const lang of LANGS) if (combined[lang] > combined[best]) best = lang;
    const total = LANGS.reduce((sum, l) => sum + combined[l], 0);
    return { supported: true, lang: best, confidence: total > 0 ? combined[best] / total : 0, source: "model" };
  }
}
