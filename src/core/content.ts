import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { isCountryCode, type CountryCode } from "./countries.js";
import type { Translate } from "./i18n/index.js";
import { INTENT_IDS, type IntentId } from "./intents.js";
import { LANGS, type Lang } from "./languages.js";

/**
 * The content model: vetted answers written and reviewed by people (`content/<intent>/<lang>[.<country>].md`),
 * shown verbatim, never generated, and the phone numbers of each country (`content/countries/<country>.yml`),
 * each with the page that states it. Parsing is pure so the same code runs on Node (read from disk) and on
 * Workers (bundled at build time).
 */

export const SUMMARY_MAX = 300;
export const BODY_MAX = 1000;
export const RELATED_MAX = 3;

/** Where an answer shows the country's numbers (`numbers:` in its front matter says which). */
export const NUMBERS_SLOT = "{{numbers}}";

/** The kinds of phone line a country file may give. */
export const NUMBER_KINDS = ["emergency", "trafficking", "gbv", "children", "self_harm"] as const;
export type NumberKind = (typeof NUMBER_KINDS)[number];

const sourceSchema = z.object({ name: z.string().min(2), url: z.url({ protocol: /^https?$/ }) });
const sourcesSchema = z.array(sourceSchema).min(1, "cite at least one source");
const dateSchema = z.union([z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "use YYYY-MM-DD"), z.date()]).nullish();
const review = {
  reviewed_at: dateSchema,
  review_due: dateSchema,
  status: z.enum(["draft", "reviewed"]),
};

const frontMatterSchema = z
  .object({
    intent: z.enum(INTENT_IDS),
    lang: z.enum(LANGS),
    country: z.string().refine(isCountryCode, "unknown country code").nullish(),
    title: z.string().min(2).max(80),
    summary: z.string().min(10).max(SUMMARY_MAX),
    related: z.array(z.enum(INTENT_IDS)).max(RELATED_MAX).default([]),
    numbers: z.array(z.enum(NUMBER_KINDS)).min(1).optional(),
    sources: sourcesSchema,
    ...review,
  })
  .strict();

const countrySchema = z
  .object({
    country: z.string().refine(isCountryCode, "unknown country code"),
    numbers: z.partialRecord(
      z.enum(NUMBER_KINDS),
      z
        .object({
          number: z.string().regex(/^\+?\d[\d -]*\d$/, "digits, spaces and hyphens only (an optional leading +)"),
          sources: sourcesSchema,
        })
        .strict(),
    ),
    ...review,
  })
  .strict();

export type ContentSource = z.infer<typeof sourceSchema>;
export type ReviewStatus = "draft" | "reviewed";

/** When a person last checked a file and when it must be checked again (ISO dates), and whether it passed. */
export interface Review {
  status: ReviewStatus;
  reviewedAt: string | null;
  reviewDue: string | null;
}

export interface ContentEntry extends Review {
  intent: IntentId;
  lang: Lang;
  country: CountryCode | null;
  title: string;
  summary: string;
  body: string;
  /** Follow-up topics offered under the answer. */
  related: IntentId[];
  /** The country's lines shown where the text has {{numbers}}, in this order. */
  numbers: NumberKind[];
  sources: ContentSource[];
  /** How many of the first sources are each number's first source (shown wherever the numbers are, SMS included). */
  numberSources?: number | undefined;
  /** Where the entry came from, for error messages. */
  origin: string;
}

export interface PhoneLine {
  number: string;
  sources: ContentSource[];
}

export interface CountryFacts extends Review {
  country: CountryCode;
  numbers: Partial<Record<NumberKind, PhoneLine>>;
  origin: string;
}

export class ContentError extends Error {
  constructor(
    readonly origin: string,
    readonly problem: string,
  ) {
    super(`${origin}: ${problem}`);
    this.name = "ContentError";
  }
}

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;

function isoDate(value: string | Date | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString().slice(0, 10) : value;
}

function parseYamlIn(origin: string, text: string, what: string): unknown {
  try {
    return parseYaml(text);
  } catch (error) {
    throw new ContentError(origin, `${what} is not valid YAML: ${(error as Error).message.split("\n")[0]}`);
  }
}

function validated<T>(origin: string, schema: z.ZodType<T>, raw: unknown): T {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "front matter"}: ${i.message}`).join("; ");
  throw new ContentError(origin, problems);
}

export function parseContentFile(origin: string, text: string): ContentEntry {
  const match = FRONT_MATTER.exec(text);
  if (!match) throw new ContentError(origin, "missing front matter (--- ... ---)");
  const fm = validated(origin, frontMatterSchema, parseYamlIn(origin, match[1]!, "front matter"));
  const body = match[2]!.trim();
  if (body.length === 0) throw new ContentError(origin, "empty body");
  return {
    intent: fm.intent,
    lang: fm.lang,
    country: (fm.country as CountryCode | null | undefined) ?? null,
    title: fm.title,
    summary: fm.summary,
    body,
    related: fm.related,
    numbers: fm.numbers ?? [],
    sources: fm.sources,
    status: fm.status,
    reviewedAt: isoDate(fm.reviewed_at),
    reviewDue: isoDate(fm.review_due),
    origin,
  };
}

export function parseCountryFile(origin: string, text: string): CountryFacts {
  const fm = validated(origin, countrySchema, parseYamlIn(origin, text, "the file"));
  return {
    country: fm.country as CountryCode,
    numbers: fm.numbers,
    status: fm.status,
    reviewedAt: isoDate(fm.reviewed_at),
    reviewDue: isoDate(fm.review_due),
    origin,
  };
}

/** The country's lines for an answer, in the answer's order; those the country file does not give are skipped. */
function linesFor(entry: ContentEntry, facts: CountryFacts | undefined): [NumberKind, PhoneLine][] {
  return entry.numbers.flatMap((kind) => {
    const line = facts?.numbers[kind];
    return line ? [[kind, line] as [NumberKind, PhoneLine]] : [];
  });
}

/**
 * Puts the country's numbers where the answer says {{numbers}}: a list in the body, a sentence in the summary,
 * the pages that state them put first among the sources. Without a known number, the text points to the local
 * emergency number instead (never a guess).
 */
export function withNumbers(entry: ContentEntry, facts: CountryFacts | undefined, t: Translate): ContentEntry {
  if (entry.numbers.length === 0) return entry;
  const lines = linesFor(entry, facts);
  const label = (kind: NumberKind) => t(`numbers.${kind}`);
  const block = lines.length > 0 ? lines.map(([kind, l]) => `- ${label(kind)}: *${l.number}*`).join("\n") : `- ${label("emergency")}: ${t("numbers.local")}`;
  const inline = lines.length > 0 ? lines.map(([kind, l]) => `${label(kind)}: ${l.number}.`).join(" ") : t("numbers.unknown");
  // The pages that state the numbers come first: SMS shows only the first source, and it must cite the number.
  const sources: ContentSource[] = [];
  const cited = lines.map(([, line]) => line.sources[0]!);
  const further = lines.flatMap(([, line]) => line.sources.slice(1));
  for (const s of [...cited, ...further, ...entry.sources]) if (!sources.some((x) => x.url === s.url)) sources.push(s);
  const numberSources = new Set(cited.map((s) => s.url)).size;
  return { ...entry, body: entry.body.split(NUMBERS_SLOT).join(block), summary: entry.summary.split(NUMBERS_SLOT).join(inline), sources, numberSources };
}

function key(intent: IntentId, lang: Lang, country: CountryCode | null): string {
  return `${intent}|${lang}|${country ?? ""}`;
}

export class ContentLibrary {
  private readonly entries = new Map<string, ContentEntry>();
  private readonly countries = new Map<CountryCode, CountryFacts>();

  constructor(entries: readonly ContentEntry[], countries: readonly CountryFacts[] = []) {
    for (const entry of entries) {
      const k = key(entry.intent, entry.lang, entry.country);
      const existing = this.entries.get(k);
      if (existing) throw new ContentError(entry.origin, `duplicates ${existing.origin}`);
      this.entries.set(k, entry);
    }
    for (const facts of countries) {
      const existing = this.countries.get(facts.country);
      if (existing) throw new ContentError(facts.origin, `duplicates ${existing.origin}`);
      this.countries.set(facts.country, facts);
    }
  }

  /** The file as written: the country's version when there is one, else the general version. */
  get(intent: IntentId, lang: Lang, country?: CountryCode | null): ContentEntry | undefined {
    return (country ? this.entries.get(key(intent, lang, country)) : undefined) ?? this.entries.get(key(intent, lang, null));
  }

  /** The answer as shown to a person in `country`: the right version, with that country's numbers filled in. */
  answer(intent: IntentId, lang: Lang, country: CountryCode | null | undefined, t: Translate): ContentEntry | undefined {
    const entry = this.get(intent, lang, country);
    return entry && withNumbers(entry, country ? this.countries.get(country) : undefined, t);
  }

  country(code: CountryCode): CountryFacts | undefined {
    return this.countries.get(code);
  }

  all(): ContentEntry[] {
    return [...this.entries.values()];
  }

  allCountries(): CountryFacts[] {
    return [...this.countries.values()];
  }
}
