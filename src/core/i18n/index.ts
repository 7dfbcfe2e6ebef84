import i18next, { type i18n, type TFunction } from "i18next";
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
 * The i18next instance behind the translator, initialised synchronously from bundled resources (no backend, no
 * network), so it works the same on Node and Workers. Exported so tests can compare the translator with it.
 */
export function createI18next(): i18n {
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
  return instance;
}

/** One translator for the process: every language's strings, through one i18next instance. */
export function createTranslator(): (lang: Lang) => Translate {
  const instance = createI18next();
  const fixed = new Map<Lang, TFunction>(LANGS.map((l) => [l, instance.getFixedT(l)]));
  // The resources never change: a string without variables is looked up once (i18next costs microseconds a call,
  // and a country menu alone makes a dozen). One with variables whose only placeholders are plain {{name}}s is
  // kept cut around them and filled in here; anything else (plurals, nesting, formats, a variable not given)
  // goes through i18next each time.
  const plain = new Map<Lang, Map<string, string>>(LANGS.map((l) => [l, new Map()]));
  const templates = new Map<Lang, Map<string, Template>>(LANGS.map((l) => [l, new Map()]));
  return (lang) => {
    const t = fixed.get(lang)!;
    const known = plain.get(lang)!;
    const cut = templates.get(lang)!;
    return (key, vars) => {
      if (vars) {
        let template = cut.get(key);
        if (template === undefined) {
          const resource = instance.getResource(lang, "translation", key) as unknown;
          cut.set(key, (template = typeof resource === "string" ? templateOf(resource) : null));
        }
        return (template && fill(template, vars)) ?? (t(key, vars) as string);
      }
      let text = known.get(key);
      if (text === undefined) known.set(key, (text = t(key, {}) as string));
      return text;
    };
  };
}

/** A string cut around its {{name}} placeholders (parts has one more element than names); null: not that simple. */
type Template = { parts: string[]; names: string[]; distinct: number } | null;

/** What i18next takes for a placeholder, and the names the fast path fills (others are i18next's to read). */
const PLACEHOLDER = /\{\{(.+?)\}\}/g;
const PLAIN_NAME = /^[A-Za-z_]\w*$/;
/** Variables that are options to i18next (plurals, context, another language…): never filled here. */
const OPTIONS = new Set(["count", "context", "ordinal", "lng", "lngs", "ns", "replace", "defaultValue", "postProcess", "keySeparator", "nsSeparator", "interpolation", "returnObjects", "returnDetails", "joinArrays"]);

function templateOf(text: string): Template {
  if (text.includes("$t(")) return null; // nesting
  const parts: string[] = [];
  const names: string[] = [];
  let at = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    // Spaced, unescaped ({{- name}}), formatted ({{name, number}}) or option-named placeholders: i18next reads them.
    if (!PLAIN_NAME.test(match[1]!) || OPTIONS.has(match[1]!)) return null;
    parts.push(text.slice(at, match.index));
    names.push(match[1]!);
    at = match.index + match[0].length;
  }
  parts.push(text.slice(at));
  return { parts, names, distinct: new Set(names).size };
}

/**
 * The template with `vars` put in, or null when i18next must do it: unless the variables are exactly the
 * template's placeholders, each a string or a number (anything else may be an option: plurals, another language).
 */
function fill(template: NonNullable<Template>, vars: Record<string, string | number>): string | null {
  let given = 0;
  for (const name in vars) {
    if (!template.names.includes(name)) return null;
    given++;
  }
  if (given !== template.distinct) return null;
  let text = template.parts[0]!;
  for (let i = 0; i < template.names.length; i++) {
    const value = vars[template.names[i]!];
    if (typeof value !== "string" && typeof value !== "number") return null;
    text += String(value) + template.parts[i + 1]!;
  }
  return text;
}

/** Every string of a messages object with its dotted key ("menu.prompt"), to check completeness and train on. */
export function messageEntries(messages: object, prefix = ""): [key: string, text: string][] {
  return Object.entries(messages).flatMap(([k, v]): [string, string][] =>
    typeof v === "string" ? [[`${prefix}${k}`, v]] : messageEntries(v as object, `${prefix}${k}.`),
  );
}
