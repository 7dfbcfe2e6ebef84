import type { ContentEntry, ContentLibrary } from "../content.js";
import { COUNTRIES, type CountryCode } from "../countries.js";
import type { Translate } from "../i18n/index.js";
import { isIntentId, MENU_TOPICS, type IntentId } from "../intents.js";
import { LANGS, LANG_NAMES, type Lang } from "../languages.js";
import type { QuickReply, Reply } from "./types.js";

/** Builders for the engine's replies: the wording lives in i18n and content, the shape lives here. */

export const option = {
  intent: (intent: IntentId) => `intent:${intent}`,
  lang: (lang: Lang) => `lang:${lang}`,
  country: (country: CountryCode | "none" | "ask") => `country:${country}`,
  menu: "menu",
  yes: "yes",
  no: "no",
  /** "Was this useful?": at most 34 characters, well under Telegram's 64 for callback data. */
  rate: (useful: boolean, intent: IntentId) => `rate:${useful ? "up" : "down"}:${intent}`,
};

/** The rating an option id carries ("rate:down:help.shelter"), if it is one. */
export function ratingOption(id: string): { intent: IntentId; useful: boolean } | null {
  const parts = id.split(":");
  const [kind, verdict, intent] = parts;
  if (parts.length !== 3 || kind !== "rate" || (verdict !== "up" && verdict !== "down") || !isIntentId(intent)) return null;
  return { intent, useful: verdict === "up" };
}

/** Countries offered when the answer depends on the country: those on the route most people write from. */
const COUNTRY_CHOICES: readonly CountryCode[] = ["CO", "PA", "CR", "NI", "HN", "GT", "MX", "US"];

export function menuReply(t: Translate, intro?: string): Reply {
  const options: QuickReply[] = MENU_TOPICS.map((topic) => ({ id: option.intent(topic.intent), label: t(`menu.${topic.key}`) }));
  return { text: [intro, t("menu.prompt")].filter(Boolean).join("\n\n"), options };
}

export function languageReply(text: string): Reply {
  return { text, options: LANGS.map((lang) => ({ id: option.lang(lang), label: LANG_NAMES[lang] })) };
}

export function countryReply(t: Translate): Reply {
  const options = COUNTRY_CHOICES.map((c) => ({ id: option.country(c), label: t(`country.names.${c}`) }));
  return { text: t("country.ask"), options: [...options, { id: option.country("none"), label: t("options.dont_know") }] };
}

export function countryName(t: Translate, country: CountryCode): string {
  return COUNTRIES.includes(country) ? t(`country.names.${country}`) : country;
}

/** "UNHCR — How do I apply for asylum?" is shown as "UNHCR": the page title is for reviewers, the link is for everyone. */
export function sourceLabel(name: string): string {
  return name.split(" — ")[0]!.trim();
}

/**
 * A vetted answer: title, body and sources, then the follow-ups its authors chose, "talk to a person" and the
 * menu. A safety reply (`followUps` false) stands alone: a person is already on the way.
 */
export function contentReply(t: Translate, entry: ContentEntry, content: ContentLibrary | null, detail = false): Reply {
  const sources = entry.sources.map((s) => `${sourceLabel(s.name)} ${s.url}`).join("\n");
  const options: QuickReply[] | undefined = content
    ? [
        ...entry.related.flatMap((intent) => {
          const label = intentLabel(t, content, intent, entry.lang);
          return label ? [{ id: option.intent(intent), label }] : [];
        }),
        { id: option.intent("human.request"), label: t("menu.human") },
        { id: option.menu, label: t("options.menu") },
      ]
    : undefined;
  return {
    text: `*${entry.title}*\n${entry.body}\n\n${t("answer.sources", { sources })}`,
    options,
    content: { intent: entry.intent, title: entry.title, summary: entry.summary, sources: entry.sources,
      cite: Math.max(1, entry.numberSources ?? 0),
      more: content !== null,
    },
    detail: detail || undefined,
  };
}

/** A short label for an intent, for clarification lists: the content title, or the menu label. */
export function intentLabel(t: Translate, content: ContentLibrary, intent: IntentId, lang: Lang): string | null {
  const entry = content.get(intent, lang);
  if (entry) return entry.title;
  const topic = MENU_TOPICS.find((m) => m.intent === intent);
  if (topic) return t(`menu.${topic.key}`);
  if (intent === "chat.menu") return t("options.menu");
  return null;
}

export function clarifyReply(t: Translate, content: ContentLibrary, intents: readonly IntentId[], lang: Lang): Reply | null {
  const options = intents.flatMap((intent) => {
    const label = intentLabel(t, content, intent, lang);
    return label ? [{ id: option.intent(intent), label }] : [];
  });
  if (options.length === 0) return null;
  return { text: t("clarify.prompt"), options: [...options, { id: option.menu, label: t("options.something_else") }] };
}

/**
 * "Was this answer useful?" after `intro` (the reply to a thanks). On WhatsApp and SMS it is the last list, so "1"
 * and "2" rate; the labels are plain words (no emoji on SMS).
 */
export function ratingReply(t: Translate, intent: IntentId, intro: string): Reply {
  return {
    text: `${intro}\n\n${t("rating.ask")}`,
    options: [
      { id: option.rate(true, intent), label: t("rating.useful") },
      { id: option.rate(false, intent), label: t("rating.not_useful") },
      { id: option.menu, label: t("options.menu") },
    ],
  };
}

/** A text with one way on: back to the menu. */
export function menuButtonReply(t: Translate, text: string): Reply {
  return { text, options: [{ id: option.menu, label: t("options.menu") }] };
}

export function yesNoReply(t: Translate, text: string): Reply {
  return { text, options: [{ id: option.yes, label: t("options.yes") }, { id: option.no, label: t("options.no") }] };
}
