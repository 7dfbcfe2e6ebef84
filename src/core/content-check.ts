import { BODY_MAX, NUMBERS_SLOT, SUMMARY_MAX, withNumbers, type ContentEntry, type ContentLibrary, type CountryFacts, type Review } from "./content.js";
import type { CountryCode } from "./countries.js";
import type { Translate } from "./i18n/index.js";
import { COUNTRY_DEPENDENT, INTENT_IDS, isHandoffIntent, isInformational, type IntentId } from "./intents.js";
import { LANGS, type Lang } from "./languages.js";

/**
 * The content check: what `npm run content:check` runs in CI and what start-up runs before serving. Errors make
 * the library unfit to serve (a missing translation, numbers that differ between languages, a broken
 * placeholder); warnings are for the content team (a review past due, a source that is not an official or
 * humanitarian organisation).
 */

/** Countries whose answers must exist wherever the answer depends on the country. */
export const REQUIRED_COUNTRIES: readonly CountryCode[] = ["PA", "CR", "MX", "GT", "HN", "CO", "US"];

/** Intents answered from content: every informational topic, every safety reply. */
export const ANSWERED_INTENTS: readonly IntentId[] = INTENT_IDS.filter((id) => isInformational(id) || isHandoffIntent(id));

export interface Problem {
  level: "error" | "warning";
  origin: string;
  message: string;
}

export interface CheckOptions {
  translator: (lang: Lang) => Translate;
  /** For review dates; YYYY-MM-DD. */
  today: string;
}

/** Hosts of governments, the UN system and the Red Cross movement: sources from elsewhere get a second look. */
const TRUSTED_HOST =
  /(^|\.)(gob\.[a-z]{2}|gov|gov\.[a-z]{2}|go\.cr|gob\.mx|gob\.pa|gob\.gt|gob\.hn|gov\.co|unhcr\.org|acnur\.org|iom\.int|unicef\.org|icrc\.org|ifrc\.org|cruzroja\.[a-z.]+|redcross\.org|un\.org|reliefweb\.int|oas\.org|r4v\.info|migracioncolombia\.gov\.co|cancilleria\.gov\.co|usa\.gov|justice\.gov|dhs\.gov|uscis\.gov|988lifeline\.org|humantraffickinghotline\.org)$/;

const URLS = /https?:\/\/[^\s)*>\]]+/g;
const DIGITS = /\d+(?:[ .-]\d+)*/g;

/** The facts a translation must carry unchanged: its numbers and its links. */
export function factsOf(text: string): { numbers: string[]; urls: string[] } {
  const urls = [...text.matchAll(URLS)].map((m) => m[0].replace(/[.,;:]+$/, ""));
  const rest = text.replace(URLS, " ");
  const numbers = [...rest.matchAll(DIGITS)].map((m) => m[0].replace(/\D/g, ""));
  return { numbers: [...new Set(numbers)].sort(), urls: [...new Set(urls)].sort() };
}

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function describe(list: readonly string[]): string {
  return list.length ? list.join(", ") : "none";
}

function reviewProblems(item: Review & { origin: string }, today: string): Problem[] {
  const out: Problem[] = [];
  if (item.status === "reviewed" && (!item.reviewedAt || !item.reviewDue)) {
    out.push({ level: "error", origin: item.origin, message: "status reviewed needs reviewed_at and review_due" });
  }
  if (item.reviewDue && item.reviewDue < today) {
    out.push({ level: "warning", origin: item.origin, message: `review was due on ${item.reviewDue}` });
  }
  return out;
}

/** The group of translations of one answer (one intent, one country or the general version). */
function groups(entries: readonly ContentEntry[]): Map<string, ContentEntry[]> {
  const out = new Map<string, ContentEntry[]>();
  for (const e of entries) {
    const k = `${e.intent}|${e.country ?? ""}`;
    out.set(k, [...(out.get(k) ?? []), e]);
  }
  return out;
}

function coverage(entries: readonly ContentEntry[], countries: readonly CountryFacts[]): Problem[] {
  const have = new Set(entries.map((e) => `${e.intent}|${e.lang}|${e.country ?? ""}`));
  const out: Problem[] = [];
  const need = (intent: IntentId, lang: Lang, country: CountryCode | null) => {
    if (!have.has(`${intent}|${lang}|${country ?? ""}`)) {
      out.push({ level: "error", origin: `content/${intent}/${lang}${country ? `.${country}` : ""}.md`, message: "missing" });
    }
  };
  for (const intent of ANSWERED_INTENTS) {
    for (const lang of LANGS) {
      need(intent, lang, null);
      if (COUNTRY_DEPENDENT.has(intent)) for (const c of REQUIRED_COUNTRIES) need(intent, lang, c);
    }
  }
  for (const c of REQUIRED_COUNTRIES) {
    const facts = countries.find((f) => f.country === c);
    if (!facts?.numbers.emergency) {
      out.push({ level: "error", origin: `content/countries/${c}.yml`, message: facts ? "no emergency number" : "missing" });
    }
  }
  return out;
}

function entryProblems(entry: ContentEntry): Problem[] {
  const out: Problem[] = [];
  const problem = (message: string) => out.push({ level: "error", origin: entry.origin, message });
  if (!ANSWERED_INTENTS.includes(entry.intent)) problem(`${entry.intent} is not answered from content`);
  if (entry.country && !COUNTRY_DEPENDENT.has(entry.intent)) {
    problem(`${entry.intent} has no country versions (a country's numbers come from content/countries through ${NUMBERS_SLOT})`);
  }
  if (entry.related.includes(entry.intent)) problem("related lists the answer itself");
  if (entry.intent.startsWith("urgent.") && !entry.numbers.includes("emergency")) {
    problem("a safety reply must show the emergency number: add `numbers: [emergency]` and {{numbers}} in the body");
  }
  const inBody = entry.body.includes(NUMBERS_SLOT);
  if (entry.numbers.length > 0 && !inBody) problem(`numbers are listed but the body has no ${NUMBERS_SLOT}`);
  if (entry.numbers.length === 0 && (inBody || entry.summary.includes(NUMBERS_SLOT))) problem(`${NUMBERS_SLOT} is used but no numbers are listed`);
  const stray = /\{\{(?!numbers\}\})[^}]*\}\}/.exec(`${entry.summary}\n${entry.body}`);
  if (stray) problem(`unknown placeholder ${stray[0]}`);
  if (/\*/.test(entry.summary)) problem("the summary is plain text (no *bold*): SMS shows it as written");
  return out;
}

function translationProblems(group: readonly ContentEntry[]): Problem[] {
  const out: Problem[] = [];
  const reference = group.find((e) => e.lang === "es") ?? group[0]!;
  const ref = factsOf(`${reference.summary}\n${reference.body}`);
  for (const entry of group) {
    if (entry === reference) continue;
    const problem = (message: string) => out.push({ level: "error", origin: entry.origin, message });
    const facts = factsOf(`${entry.summary}\n${entry.body}`);
    if (!same(facts.numbers, ref.numbers)) {
      problem(`numbers (${describe(facts.numbers)}) differ from ${reference.origin} (${describe(ref.numbers)})`);
    }
    if (!same(facts.urls, ref.urls)) problem(`links (${describe(facts.urls)}) differ from ${reference.origin} (${describe(ref.urls)})`);
    if (!same(entry.related, reference.related)) problem(`related (${describe(entry.related)}) differs from ${reference.origin}`);
    if (!same(entry.numbers, reference.numbers)) problem(`numbers list differs from ${reference.origin}`);
  }
  return out;
}

/** Length limits hold for the answer as shown in every country, with that country's numbers filled in. */
function lengthProblems(entry: ContentEntry, countries: readonly CountryFacts[], t: Translate): Problem[] {
  const contexts = entry.country ? countries.filter((c) => c.country === entry.country) : [undefined, ...countries];
  let body = entry.body.length;
  let summary = entry.summary.length;
  for (const facts of contexts.length ? contexts : [undefined]) {
    const shown = withNumbers(entry, facts, t);
    body = Math.max(body, shown.body.length);
    summary = Math.max(summary, shown.summary.length);
  }
  const out: Problem[] = [];
  if (body > BODY_MAX) out.push({ level: "error", origin: entry.origin, message: `body has ${body} characters as shown (max ${BODY_MAX})` });
  if (summary > SUMMARY_MAX) {
    out.push({ level: "error", origin: entry.origin, message: `summary has ${summary} characters as shown (max ${SUMMARY_MAX})` });
  }
  return out;
}

function sourceWarnings(origin: string, urls: readonly string[]): Problem[] {
  return urls.flatMap((url) => {
    const parsed = new URL(url);
    const host = parsed.hostname.replace(/^www\./, "");
    const out: Problem[] = [];
    if (!TRUSTED_HOST.test(host)) out.push({ level: "warning", origin, message: `source ${host} is not an official or humanitarian organisation: check it` });
    if (parsed.protocol !== "https:") out.push({ level: "warning", origin, message: `source ${url} is not https` });
    return out;
  });
}

export function checkContent(entries: readonly ContentEntry[], countries: readonly CountryFacts[], options: CheckOptions): Problem[] {
  const problems: Problem[] = [...coverage(entries, countries)];
  for (const entry of entries) {
    problems.push(...entryProblems(entry));
    problems.push(...lengthProblems(entry, countries, options.translator(entry.lang)));
    problems.push(...reviewProblems(entry, options.today));
    problems.push(...sourceWarnings(entry.origin, entry.sources.map((s) => s.url)));
  }
  for (const group of groups(entries).values()) problems.push(...translationProblems(group));
  for (const facts of countries) {
    problems.push(...reviewProblems(facts, options.today));
    for (const line of Object.values(facts.numbers)) problems.push(...sourceWarnings(facts.origin, line.sources.map((s) => s.url)));
  }
  return problems;
}

/** For /health: how much of the library is reviewed, and a line for every file whose review is past due. */
export function contentHealth(library: ContentLibrary, today: string): { answers: number; reviewed: number; reviewsDue: string[] } {
  const entries = library.all();
  const files: (Review & { origin: string })[] = [...entries, ...library.allCountries()];
  return {
    answers: entries.length,
    reviewed: entries.filter((e) => e.status === "reviewed").length,
    reviewsDue: files.filter((f) => f.reviewDue && f.reviewDue < today).map((f) => `${f.origin}: review was due on ${f.reviewDue}`),
  };
}

export class ContentCheckError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(`The content library is not fit to serve:\n- ${problems.map((p) => `${p.origin}: ${p.message}`).join("\n- ")}`);
    this.name = "ContentCheckError";
  }
}

export function todayIso(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}
