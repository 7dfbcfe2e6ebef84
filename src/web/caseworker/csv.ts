import type { TFunction } from "i18next";
import type { QuestionGroup } from "../../core/insights/model.js";
import { shown, type Count, type Derived, type InsightsReport } from "../../core/insights/report.js";
import type { Lang } from "../../core/languages.js";

/**
 * The tables behind every chart, in the page's language: the page shows them under each chart (its table view)
 * and /caseworker/insights/csv sends the same rows as CSV. Hidden counts stay "<5", withheld figures "—".
 */
export type Cell = string | number;
export interface Table {
  headers: string[];
  rows: Cell[][];
}

export const CHART_IDS = ["conversations", "languages", "topics", "decisions", "handoffs", "case-times", "delivery", "ratings", "unanswered"] as const;
export type ChartId = (typeof CHART_IDS)[number];

export const WITHHELD = "—";
export const count = (c: Count): Cell => c;
export const figure = (d: Derived): Cell => (d === null ? WITHHELD : Math.round(d * 10) / 10);
export const percent = (d: Derived): Cell => (d === null ? WITHHELD : Math.round(d * 1000) / 10);
export const langName = (lang: Lang | null, t: TFunction) => lang ?? t("unknownLang");

/** Every chart's table but the unanswered questions' (which need the grouping). */
export function reportTables(report: InsightsReport, t: TFunction): Record<Exclude<ChartId, "unanswered">, Table> {
  const col = (key: string) => t(`columns.${key}`);
  return {
    conversations: {
      headers: [col("day"), col("channel"), col("language"), col("people")],
      rows: report.conversations.cells.map((c) => [c.day, c.channel, langName(c.lang, t), count(c.people)]),
    },
    languages: {
      headers: [col("day"), col("language"), col("people")],
      rows: report.conversations.byLang.map((c) => [c.day, langName(c.lang, t), figure(c.people)]),
    },
    topics: { headers: [col("intent"), col("messages"), col("people")], rows: report.topics.map((r) => [r.intent, count(r.n), count(r.people)]) },
    decisions: {
      headers: [col("day"), col("answer"), col("clarify"), col("fallback"), col("fallbackRate"), col("clarifyRate")],
      rows: report.decisions.map((d) => [d.day, count(d.answer), count(d.clarify), count(d.fallback), percent(d.fallbackRate), percent(d.clarifyRate)]),
    },
    handoffs: {
      headers: [col("category"), col("priority"), col("people")],
      rows: report.handoffs.cells.map((c) => [c.category, `P${c.priority}`, count(c.people)]),
    },
    "case-times": {
      headers: [col("measure"), col("median"), col("p90")],
      rows: (["firstReply", "close"] as const).map((m) => [t(`measures.${m}`), figure(report.caseTimes[m].median), figure(report.caseTimes[m].p90)]),
    },
    delivery: {
      headers: [col("day"), col("channel"), col("outcome"), col("messages")],
      rows: report.deliveries.cells.map((c) => [c.day, c.channel, col(c.outcome), count(c.n)]),
    },
    ratings: {
      headers: [col("intent"), col("language"), col("country"), col("rating"), col("people")],
      rows: report.ratings.cells.map((c) => [c.intent, c.lang, c.country ?? WITHHELD, c.useful ? col("useful") : col("notUseful"), count(c.n)]),
    },
  };
}

/** The unanswered questions of one language, one row per example shown (sizes and kinds under 5 as "<5", D3). */
export function unansweredTable(groups: readonly QuestionGroup[], t: TFunction): Table {
  const col = (key: string) => t(`columns.${key}`);
  return {
    headers: [col("group"), col("language"), col("size"), col("kinds"), col("nearest"), col("score"), col("example")],
    rows: groups.flatMap((g, i) =>
      g.examples.map((e) => [
        i + 1,
        g.lang,
        shown(g.size),
        kindsText(g, t),
        g.nearest?.intent ?? WITHHELD,
        g.nearest ? Math.round(g.nearest.score * 100) / 100 : WITHHELD,
        e.text,
      ]),
    ),
  };
}

export function kindsText(group: QuestionGroup, t: TFunction): string {
  return Object.entries(group.kinds)
    .filter(([, n]) => (n ?? 0) > 0)
    .map(([kind, n]) => `${t(`kinds.${kind}`)}: ${shown(n ?? 0)}`)
    .join(", ");
}

/** A cell a spreadsheet would run as a formula starts with one of these: such text is prefixed with '. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** RFC 4180 CSV (CRLF, quotes doubled), with a BOM so spreadsheets read UTF-8, and the formula guard. */
export function toCsv(table: Table): string {
  const cell = (value: Cell) => {
    if (typeof value === "number") return String(value);
    const guarded = FORMULA_START.test(value) ? `'${value}` : value;
    return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
  };
  return "\uFEFF" + [table.headers, ...table.rows].map((row) => row.map(cell).join(",")).join("\r\n") + "\r\n";
}
