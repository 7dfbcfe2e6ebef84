import type { CountryCode } from "../countries.js";
import type { IntentId } from "../intents.js";
import type { Lang } from "../languages.js";
import type { Channel } from "../ports.js";
import { MIN_PEOPLE, type InsightCounts, type InsightsFilter } from "./model.js";

/**
 * What the insights page may show, decided once here from the store's counts (pure). The rule:
 * - a count is shown only when it counts no one or at least MIN_PEOPLE people; under that it is SMALL ("<5");
 * - a derived figure (a total, a rate, a share, a median or p90) only when every count it comes from is shown —
 *   otherwise subtracting shown figures from it would give the hidden one back. Withheld derived figures are null.
 * Days are UTC; the range never reaches past RETENTION_DAYS (people are counted by a key that lives that long).
 */

export const SMALL = `<${MIN_PEOPLE}` as const;
/** A count as it may be shown: the number, or SMALL. */
export type Count = number | typeof SMALL;
/** A derived figure: null when withheld (one of its counts is hidden) or undefined (nothing to divide). */
export type Derived = number | null;

export const DECISIONS = ["answer", "clarify", "fallback"] as const;
export const OUTCOMES = ["delivered", "failed", "waiting"] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface InsightsReport {
  filter: InsightsFilter;
  /** Every day of the range, oldest first. */
  days: string[];
  conversations: {
    cells: { day: string; channel: Channel; lang: Lang | null; people: Count }[];
    channels: Channel[];
    langs: (Lang | null)[];
    byChannel: { day: string; channel: Channel; people: Derived }[];
    byLang: { day: string; lang: Lang | null; people: Derived }[];
  };
  /** Shown topics by messages (most first), then the hidden ones by name. */
  topics: { intent: IntentId; n: Count; people: Count }[];
  decisions: { day: string; answer: Count; clarify: Count; fallback: Count; fallbackRate: Derived; clarifyRate: Derived }[];
  handoffs: {
    cells: { category: IntentId; priority: 1 | 2 | 3; people: Count }[];
    byCategory: { category: IntentId; total: Derived }[];
  };
  caseTimes: { firstReply: Spread; close: Spread };
  deliveries: {
    cells: { day: string; channel: Channel; outcome: Outcome; n: Count }[];
    byChannel: { channel: Channel; delivered: Derived; failed: Derived; waiting: Derived; successRate: Derived }[];
  };
  ratings: {
    cells: { intent: IntentId; lang: Lang; country: CountryCode | null; useful: boolean; n: Count }[];
    byIntent: { intent: IntentId; useful: Derived; notUseful: Derived; share: Derived }[];
  };
}

/** Median and p90 in minutes, withheld under MIN_PEOPLE cases. */
export interface Spread {
  median: Derived;
  p90: Derived;
}

/** A count of `people` as it may be shown (`value` defaults to the people themselves). */
export function shown(people: number, value = people): Count {
  return people === 0 || people >= MIN_PEOPLE ? value : SMALL;
}

/** The sum of counts, or null if any of them is hidden. */
export function total(counts: readonly Count[]): Derived {
  let sum = 0;
  for (const c of counts) {
    if (c === SMALL) return null;
    sum += c;
  }
  return sum;
}

/** part / whole, withheld when either is, undefined (null) when the whole is zero. */
export function ratio(part: Derived, whole: Derived): Derived {
  return part === null || whole === null || whole === 0 ? null : part / whole;
}

/** Nearest-rank quantile (q in (0, 1]) of the values; null for none. */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length))) - 1]!;
}

/** Every day from `from` to `to`, both inclusive (YYYY-MM-DD, UTC). */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** The day `n` days before `day` (YYYY-MM-DD). */
export function daysBefore(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The range the page reports on: the days asked for (default the last `defaultDays`), kept inside the last
 * `retentionDays` days up to today (older events are untied from people, so they could not be counted by person).
 * `clamped` says whether the wish was cut.
 */
export function insightsRange(wish: { from?: string | undefined; to?: string | undefined }, today: string, retentionDays: number, defaultDays = 30): { from: string; to: string; clamped: boolean } {
  const earliest = daysBefore(today, retentionDays - 1);
  let to = wish.to ?? today;
  let from = wish.from ?? daysBefore(to, Math.min(defaultDays, retentionDays) - 1);
  if (from > to) [from, to] = [to, from];
  const clamp = (d: string) => (d < earliest ? earliest : d > today ? today : d);
  const range = { from: clamp(from), to: clamp(to) };
  return { ...range, clamped: range.from !== from || range.to !== to };
}

/** Groups rows by a key, keeping first-seen order. */
function groupBy<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

const spread = (minutes: readonly (number | null)[]): Spread => {
  const values = minutes.filter((m): m is number => m !== null);
  if (values.length < MIN_PEOPLE) return { median: null, p90: null };
  return { median: quantile(values, 0.5), p90: quantile(values, 0.9) };
};

export function buildReport(counts: InsightCounts, filter: InsightsFilter): InsightsReport {
  const days = daysBetween(filter.from, filter.to);
  const inRange = <T extends { day: string }>(rows: readonly T[]) => rows.filter((r) => r.day >= filter.from && r.day <= filter.to);

  const convCells = inRange(counts.conversations).map((r) => ({ day: r.day, channel: r.channel, lang: r.lang, people: shown(r.people) }));
  const channels = [...new Set(convCells.map((c) => c.channel))].sort();
  const langs = [...new Set(convCells.map((c) => c.lang))].sort((a, b) => (a ?? "~").localeCompare(b ?? "~"));
  const convByDay = groupBy(convCells, (c) => c.day);
  const sumOver = (day: string, pick: (c: (typeof convCells)[number]) => boolean) => total((convByDay.get(day) ?? []).filter(pick).map((c) => c.people));

  const decisionsByDay = groupBy(inRange(counts.decisions), (r) => r.day);
  const decisions = days.map((day) => {
    const rows = decisionsByDay.get(day) ?? [];
    const of = (d: (typeof DECISIONS)[number]) => {
      const row = rows.find((r) => r.decision === d);
      return row ? shown(row.people, row.n) : 0;
    };
    const [answer, clarify, fallback] = DECISIONS.map(of) as [Count, Count, Count];
    const all = total([answer, clarify, fallback]);
    return { day, answer, clarify, fallback, fallbackRate: ratio(total([fallback]), all), clarifyRate: ratio(total([clarify]), all) };
  });

  const topicCells = counts.topics.map((r) => ({ intent: r.intent, n: shown(r.people, r.n), people: shown(r.people) }));
  const topics = [
    ...topicCells.filter((t) => t.n !== SMALL).sort((a, b) => (b.n as number) - (a.n as number) || a.intent.localeCompare(b.intent)),
    ...topicCells.filter((t) => t.n === SMALL).sort((a, b) => a.intent.localeCompare(b.intent)),
  ];

  const handoffCells = counts.handoffs
    .map((r) => ({ category: r.category, priority: r.priority, people: shown(r.people) }))
    .sort((a, b) => a.priority - b.priority || a.category.localeCompare(b.category));
  const byCategory = [...groupBy(handoffCells, (c) => c.category)].map(([category, cells]) => ({ category, total: total(cells.map((c) => c.people)) }));

  const deliveryCells = inRange(counts.deliveries)
    .map((r) => ({ day: r.day, channel: r.channel, outcome: r.outcome, n: shown(r.people, r.n) }))
    .sort((a, b) => a.day.localeCompare(b.day) || a.channel.localeCompare(b.channel));
  const deliveryByChannel = [...groupBy([...deliveryCells].sort((a, b) => a.channel.localeCompare(b.channel)), (c) => c.channel)].map(([channel, cells]) => {
    const [delivered, failed, waiting] = OUTCOMES.map((o) => total(cells.filter((c) => c.outcome === o).map((c) => c.n))) as [Derived, Derived, Derived];
    const all = delivered === null || failed === null || waiting === null ? null : delivered + failed + waiting;
    return { channel, delivered, failed, waiting, successRate: ratio(delivered, all) };
  });

  // Each rating is one person (ratings carry no id), so its count is its people.
  const ratingCells = counts.ratings
    .map((r) => ({ intent: r.intent, lang: r.lang, country: r.country, useful: r.useful, n: shown(r.n) }))
    .sort((a, b) => a.intent.localeCompare(b.intent) || a.lang.localeCompare(b.lang) || (a.country ?? "").localeCompare(b.country ?? ""));
  const byIntent = [...groupBy(ratingCells, (c) => c.intent)].map(([intent, cells]) => {
    const useful = total(cells.filter((c) => c.useful).map((c) => c.n));
    const notUseful = total(cells.filter((c) => !c.useful).map((c) => c.n));
    return { intent, useful, notUseful, share: ratio(useful, useful === null || notUseful === null ? null : useful + notUseful) };
  });

  return {
    filter,
    days,
    conversations: {
      cells: convCells.sort((a, b) => a.day.localeCompare(b.day) || a.channel.localeCompare(b.channel) || (a.lang ?? "~").localeCompare(b.lang ?? "~")),
      channels,
      langs,
      byChannel: days.flatMap((day) => channels.map((channel) => ({ day, channel, people: sumOver(day, (c) => c.channel === channel) }))),
      byLang: days.flatMap((day) => langs.map((lang) => ({ day, lang, people: sumOver(day, (c) => c.lang === lang) }))),
    },
    topics,
    decisions,
    handoffs: { cells: handoffCells, byCategory },
    caseTimes: { firstReply: spread(counts.caseTimes.map((c) => c.firstReplyMinutes)), close: spread(counts.caseTimes.map((c) => c.closeMinutes)) },
    deliveries: { cells: deliveryCells, byChannel: deliveryByChannel },
    ratings: { cells: ratingCells, byIntent },
  };
}
