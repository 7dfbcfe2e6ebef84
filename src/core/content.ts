import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { isCountryCode, type CountryCode } from "./countries.js";
import { INTENT_IDS, type IntentId } from "./intents.js";
import { LANGS, type Lang } from "./languages.js";

/**
 * The content model: vetted answers written and reviewed by people (`content/<intent>/<lang>[.<country>].md`),
 * shown verbatim, never generated. Parsing is pure so the same code runs on Node (read from disk) and on
 * Workers (bundled at build time).
 */

export const SUMMARY_MAX = 300;
export const BODY_MAX = 1000;

const sourceSchema = z.object({ name: z.string().min(2), url: z.url() });

const frontMatterSchema = z.object({
  intent: z.enum(INTENT_IDS),
  lang: z.enum(LANGS),
  country: z.string().refine(isCountryCode, "unknown country code").nullish(),
  title: z.string().min(2).max(80),
  summary: z.string().min(10).max(SUMMARY_MAX),
  sources: z.array(sourceSchema).min(1, "every answer cites at least one source"),
  reviewed_at: z.union([z.string(), z.date()]).nullish(),
  review_due: z.union([z.string(), z.date()]).nullish(),
  status: z.enum(["draft", "reviewed"]),
});

export type ContentSource = z.infer<typeof sourceSchema>;

export interface ContentEntry {
  intent: IntentId;
  lang: Lang;
  country: CountryCode | null;
  title: string;
  summary: string;
  body: string;
  sources: ContentSource[];
  status: "draft" | "reviewed";
  /** Where the entry came from, for error messages. */
  origin: string;
}

export class ContentError extends Error {
  constructor(origin: string, problem: string) {
    super(`${origin}: ${problem}`);
    this.name = "ContentError";
  }
}

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;

export function parseContentFile(origin: string, text: string): ContentEntry {
  const match = FRONT_MATTER.exec(text);
  if (!match) throw new ContentError(origin, "missing front matter (--- ... ---)");
  let raw: unknown;
  try {
    raw = parseYaml(match[1]!);
  } catch (error) {
    throw new ContentError(origin, `front matter is not valid YAML: ${(error as Error).message}`);
  }
  const parsed = frontMatterSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "front matter"}: ${i.message}`).join("; ");
    throw new ContentError(origin, problems);
  }
  const body = match[2]!.trim();
  if (body.length === 0) throw new ContentError(origin, "empty body");
  if (body.length > BODY_MAX) throw new ContentError(origin, `body has ${body.length} characters (max ${BODY_MAX})`);
  const fm = parsed.data;
  return {
    intent: fm.intent,
    lang: fm.lang,
    country: (fm.country as CountryCode | null | undefined) ?? null,
    title: fm.title,
    summary: fm.summary,
    body,
    sources: fm.sources,
    status: fm.status,
    origin,
  };
}

function key(intent: IntentId, lang: Lang, country: CountryCode | null): string {
  return `${intent}|${lang}|${country ?? ""}`;
}

export class ContentLibrary {
  private readonly entries = new Map<string, ContentEntry>();

  constructor(entries: readonly ContentEntry[]) {
    for (const entry of entries) {
      const k = key(entry.intent, entry.lang, entry.country);
      const existing = this.entries.get(k);
      if (existing) throw new ContentError(entry.origin, `duplicates ${existing.origin}`);
      this.entries.set(k, entry);
    }
  }

  /** The country's version when there is one, else the general version. */
  get(intent: IntentId, lang: Lang, country?: CountryCode | null): ContentEntry | undefined {
    return (country ? this.entries.get(key(intent, lang, country)) : undefined) ?? this.entries.get(key(intent, lang, null));
  }

  all(): ContentEntry[] {
    return [...this.entries.values()];
  }
}
