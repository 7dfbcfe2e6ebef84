import type { CountryCode } from "../countries.js";
import type { IntentId } from "../intents.js";
import type { Lang } from "../languages.js";
import type { Channel, RankedIntent } from "../ports.js";
import type { UnansweredKind, UnansweredQuestion } from "../store/questions.js";

/**
 * Insights: what the supervisors' page and `npm run insights:unanswered` are built from. Aggregates only: the
 * store counts, the core decides what may be shown (src/core/insights/report.ts), nothing names a person.
 */

/** A cell counting fewer people than this is never shown (nor any figure derived from it). */
export const MIN_PEOPLE = 5;
/** Unanswered questions grouped per language and request (the newest). */
export const GROUP_LIMIT = 500;

/** Days as YYYY-MM-DD (UTC), both inclusive; the range is clamped to RETENTION_DAYS (people are counted by key). */
export interface InsightsFilter {
  from: string;
  to: string;
  lang?: Lang | undefined;
}

export interface InsightCounts {
  /** People who wrote, per day, channel and language (null: language not known yet). */
  conversations: { day: string; channel: Channel; lang: Lang | null; people: number }[];
  /** Free-text messages by the matcher's decision, per day. */
  decisions: { day: string; decision: "answer" | "clarify" | "fallback"; n: number; people: number }[];
  /** Topics answered or handed off. */
  topics: { intent: IntentId; n: number; people: number }[];
  /** Cases opened in the range, by category and priority. */
  handoffs: { category: IntentId; priority: 1 | 2 | 3; people: number }[];
  /** One entry per case opened in the range (no id): minutes to the first caseworker reply and to closing. */
  caseTimes: { firstReplyMinutes: number | null; closeMinutes: number | null }[];
  /** Replies by outcome, per day and channel (the outbox keeps RETENTION_DAYS). */
  deliveries: { day: string; channel: Channel; outcome: "delivered" | "failed" | "waiting"; n: number; people: number }[];
  /** "Was this useful?" answers (each rating is one person: ratings carry no id). */
  ratings: { intent: IntentId; lang: Lang; country: CountryCode | null; useful: boolean; n: number }[];
}

export const NO_COUNTS: InsightCounts = { conversations: [], decisions: [], topics: [], handoffs: [], caseTimes: [], deliveries: [], ratings: [] };

/** Unanswered questions that mean the same thing, in one language. */
export interface QuestionGroup {
  lang: Lang;
  size: number;
  kinds: Partial<Record<UnansweredKind, number>>;
  /** At most 5, nearest the group's centre first. */
  examples: UnansweredQuestion[];
  /** The existing intent nearest the group, and its score. */
  nearest: RankedIntent | null;
}

export type GroupQuestions = (questions: readonly UnansweredQuestion[], lang: Lang) => Promise<QuestionGroup[]>;

/** A question a supervisor chose for a person to turn into an example or an answer. */
export interface ReviewEntry {
  lang: Lang;
  text: string;
  kind: UnansweredKind;
  suggestedIntent: IntentId | null;
  score: number | null;
  day: string;
}

/** Where chosen questions go for review: intents/review/<lang>.jsonl on Node (never .json: that is an intent file). */
export interface ReviewSink {
  add(entries: readonly ReviewEntry[]): Promise<{ file: string; added: number }>;
}

/** What the insights page needs beside the store. Without a review sink (Workers) the button downloads the lines. */
export interface InsightsWiring {
  groups: GroupQuestions;
  review?: ReviewSink | undefined;
}

/** Review entries as JSON Lines, one a line, each stamped with the day it was added. */
export function reviewLines(entries: readonly ReviewEntry[], addedOn: string): string {
  return entries.map((e) => JSON.stringify({ ...e, addedOn })).join("\n") + (entries.length > 0 ? "\n" : "");
}
