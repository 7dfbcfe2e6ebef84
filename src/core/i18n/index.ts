import i18next, { type TFunction } from "i18next";
import { LANGS, type Lang } from "../languages.js";
import { en, type Messages } from "./locales/en.js";
import { es } from "./locales/es.js";
import { fr } from "./locales/fr.js";
import { ht } from "./locales/ht.js";
import { pt } from "./locales/pt.js";

/** System strings of every language, as i18next resources. */
export const MESSAGES: Record<Lang, Messages> = { es, en, fr, ht, pt };

export type Translate = (key: string, vars?: Record<string, string | number>) => string;

/**
 * One i18next instance for the process, initialised synchronously from bundled resources (no backend, no
 * network), so it works the same on Node and Workers.
 */
export function createTranslator(): (lang: Lang) => Translate {
  const instance = i18next.createInstance();
  void instance.init({
    resources: Object.fromEntries(LANGS.map((l) => [l, { translation: MESSAGES[l] }])),
    lng: "es",
    fallbackLng: false,
    supportedLngs: [...LANGS],
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
    returnObjects: false,
  });
  const fixed = new Map<Lang, TFunction>(LANGS.map((l) => [l, instance.getFixedT(l)]));
  // The resources never change: a string without variables is looked up once (i18next costs microseconds a
  // call, and a country menu alone makes a dozen).
  const plain = new Map<Lang, Map<string, string>>(LANGS.map((l) => [l, new Map()]));
  return (lang) => {
    const t = fixed.get(lang)!;
    const known = plain.get(lang)!;
    return (key, vars) => {
      if (vars) return t(key, vars) as string;
      let text = known.get(key);
      if (text === undefined) known.set(key, (text = t(key, {}) as string));
      return text;
    };
  };
}

/** Every string of a messages object with its dotted key ("menu.prompt"), to check completeness and train on. */
export function messageEntries(messages: object, prefix = ""): [key: string, text: string][] {
  return Object.entries(messages).flatMap(([k, v]): [string, string][] =>
    typeof v === "string" ? [[`${prefix}${k}`, v]] : messageEntries(v as object, `${prefix}${k}.`),
  );
}
