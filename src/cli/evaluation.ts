import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { CountryCode } from "../core/countries.js";
import { isHandoffIntent, type IntentId } from "../core/intents.js";
import type { Interpretation, Interpreter } from "../core/interpret.js";
import { LANGS, type Lang } from "../core/languages.js";

/** The classify contract's line, and the dev eval's metrics (shared by `npm run eval` and the floor test). */

export interface Classification {
  text: string;
  lang: Lang;
  intent: IntentId | null;
  confidence: number;
  handoff: boolean;
  country: CountryCode | null;
}

export function classification(text: string, reading: Interpretation): Classification {
  return {
    text,
    lang: reading.language.lang,
    intent: reading.intent,
    confidence: Math.round(reading.confidence * 10_000) / 10_000,
    handoff: reading.handoff,
    country: reading.country,
  };
}

export interface LabelledMessage {
  text: string;
  lang: Lang;
  intent: IntentId | null;
  country?: CountryCode | null;
}

export function loadEvalSet(dir: string): LabelledMessage[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".jsonl"))
    .sort()
    .flatMap((f) =>
      readFileSync(join(dir, f), "utf8")
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => JSON.parse(line) as LabelledMessage),
    );
}

export interface Ratio {
  hits: number;
  total: number;
  rate: number;
}

function ratio(hits: number, total: number): Ratio {
  return { hits, total, rate: total === 0 ? 1 : hits / total };
}

export interface LanguageMetrics {
  intentAccuracy: Ratio;
  handoffRecall: Ratio;
  falseHandoffRate: Ratio;
  outOfScopeRejection: Ratio;
  languageId: Ratio;
  countryAccuracy: Ratio;
}

export interface EvalReport {
  overall: LanguageMetrics;
  byLang: Record<Lang, LanguageMetrics>;
  byIntent: Record<string, Ratio>;
  errors: { item: LabelledMessage; got: Classification }[];
}

function metrics(rows: { item: LabelledMessage; got: Classification }[]): LanguageMetrics {
  const inScope = rows.filter((r) => r.item.intent !== null);
  const urgent = rows.filter((r) => r.item.intent !== null && isHandoffIntent(r.item.intent));
  const notUrgent = rows.filter((r) => r.item.intent === null || !isHandoffIntent(r.item.intent));
  const outOfScope = rows.filter((r) => r.item.intent === null);
  const withCountry = rows.filter((r) => r.item.country !== undefined);
  return {
    intentAccuracy: ratio(inScope.filter((r) => r.got.intent === r.item.intent).length, inScope.length),
    handoffRecall: ratio(urgent.filter((r) => r.got.handoff).length, urgent.length),
    falseHandoffRate: ratio(notUrgent.filter((r) => r.got.handoff).length, notUrgent.length),
    outOfScopeRejection: ratio(outOfScope.filter((r) => r.got.intent === null).length, outOfScope.length),
    languageId: ratio(rows.filter((r) => r.got.lang === r.item.lang).length, rows.length),
    countryAccuracy: ratio(withCountry.filter((r) => (r.item.country ?? null) === r.got.country).length, withCountry.length),
  };
}

export async function evaluate(interpreter: Interpreter, items: readonly LabelledMessage[]): Promise<EvalReport> {
  const rows: { item: LabelledMessage; got: Classification }[] = [];
  for (const item of items) rows.push({ item, got: classification(item.text, await interpreter.interpret(item.text)) });
  const byLang = Object.fromEntries(LANGS.map((l) => [l, metrics(rows.filter((r) => r.item.lang === l))])) as Record<Lang, LanguageMetrics>;
  const byIntent: Record<string, Ratio> = {};
  for (const intent of new Set(items.map((i) => i.intent ?? "(out of scope)"))) {
    const subset = rows.filter((r) => (r.item.intent ?? "(out of scope)") === intent);
    byIntent[intent] = ratio(subset.filter((r) => r.got.intent === r.item.intent).length, subset.length);
  }
  const errors = rows.filter((r) => r.got.intent !== r.item.intent || r.got.lang !== r.item.lang);
  return { overall: metrics(rows), byLang, byIntent, errors };
}
