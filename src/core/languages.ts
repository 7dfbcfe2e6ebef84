/** The five languages Brújula answers in. One home for language codes. */
export const LANGS = ["es", "en", "fr", "ht", "pt"] as const;
export type Lang = (typeof LANGS)[number];

/** Language used when nothing else is known: the lingua franca of the route. */
export const DEFAULT_LANG: Lang = "es";

export function isLang(value: unknown): value is Lang {
  return typeof value === "string" && (LANGS as readonly string[]).includes(value);
}

/** Each language's own name, as shown in the language menu. */
export const LANG_NAMES: Record<Lang, string> = {
  es: "Español",
  en: "English",
  fr: "Français",
  ht: "Kreyòl ayisyen",
  pt: "Português",
};
