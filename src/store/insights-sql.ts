import type { CountryCode } from "../core/countries.js";
import type { IntentId } from "../core/intents.js";
import type { InsightCounts, InsightsFilter } from "../core/insights/model.js";
import type { Lang } from "../core/languages.js";
import type { Channel } from "../core/ports.js";
import type { NewQuestion, QuestionChange, UnansweredKind, UnansweredQuestion } from "../core/store/questions.js";
import type { Store } from "../core/store/store.js";
import { IN_TRANSIT, type SqlStatement } from "./rows.js";

/**
 * Insights in SQL, one home for both adapters: the questions kept for the content team (table `unanswered`,
 * src/store/migrations/0010_insights.sql) and the counts behind the supervisors' page. The adapters only run these
 * statements, seal and open the question text, and hand the rows back here.
 */

/**
 * The people behind a count: distinct user keys, leaving out events already untied from anyone ('': older than
 * RETENTION_DAYS, or born untied like ratings and deletions). Exact inside RETENTION_DAYS, which is why the
 * insights page keeps its range inside it.
 */
export const PEOPLE = "COUNT(DISTINCT NULLIF(user_key, ''))";

/** The questions a turn adds, in order: the adapter seals their text and passes it to questionStatements. */
export function addedQuestions(changes: readonly QuestionChange[]): NewQuestion[] {
  return changes.flatMap((c) => (c.op === "add" ? [c.question] : []));
}

/**
 * A turn's question changes as statements, settles first (a token names at most one row, and is cleared when
 * settled, so it settles once), then the adds with `sealedTexts` (one per addedQuestions, in order).
 */
export function questionStatements(changes: readonly QuestionChange[], sealedTexts: readonly string[]): SqlStatement[] {
  const settles = changes.flatMap((c): SqlStatement[] => {
    if (c.op !== "settle") return [];
    switch (c.as) {
      case "kept":
        return [{ sql: "UPDATE unanswered SET token = NULL WHERE token = ?", params: [c.token] }];
      case "dropped":
        return [{ sql: "DELETE FROM unanswered WHERE token = ?", params: [c.token] }];
      case "not_useful":
        return [{ sql: "UPDATE unanswered SET kind = CASE WHEN kind = 'answered' THEN 'not_useful' ELSE kind END, token = NULL WHERE token = ?", params: [c.token] }];
    }
  });
  const adds = addedQuestions(changes).map((q, i): SqlStatement => ({
    sql: "INSERT INTO unanswered (kind, lang, intent, score, text, day, token) VALUES (?, ?, ?, ?, ?, ?, ?)",
    params: [q.kind, q.lang, q.intent, q.score, sealedTexts[i], q.day, q.token ?? null],
  }));
  return [...settles, ...adds];
}

export interface UnansweredRow {
  id: number;
  kind: string;
  lang: string;
  intent: string | null;
  score: number | null;
  text: string;
  day: string;
}

export type UnansweredFilter = Parameters<Store["listUnanswered"]>[0];

/** Kept questions (never an answer waiting for its rating), newest first; days inclusive. */
export function unansweredQuery(filter: UnansweredFilter): SqlStatement {
  const ids = filter.ids === undefined ? null : JSON.stringify(filter.ids);
  const lang = filter.lang ?? null;
  return {
    sql: `SELECT id, kind, lang, intent, score, text, day FROM unanswered
          WHERE kind IN ('fallback', 'clarify', 'not_useful') AND day >= ? AND day <= ? AND (? IS NULL OR lang = ?)
            AND (? IS NULL OR id IN (SELECT value FROM json_each(?)))
          ORDER BY day DESC, id DESC LIMIT ?`,
    // LIMIT -1: no limit.
    params: [filter.from, filter.to, lang, lang, ids, ids, filter.limit ?? -1],
  };
}

/** A row of unansweredQuery, with its text opened by the adapter. */
export function unansweredQuestion(row: UnansweredRow, text: string): UnansweredQuestion {
  return {
    id: row.id,
    kind: row.kind as UnansweredKind,
    lang: row.lang as Lang,
    intent: row.intent as IntentId | null,
    score: row.score,
    text,
    day: row.day,
  };
}

/** Provider delivery statuses that are final failures (Twilio's). */
const UNDELIVERED = ["undelivered", "failed", "canceled"];
const sqlList = (values: Iterable<string>) => [...values].map((v) => `'${v}'`).join(", ");

/** The day after a YYYY-MM-DD day: timestamps of the range are `>= from` and `< dayAfter(to)`. */
function dayAfter(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000).toISOString().slice(0, 10);
}

/**
 * The queries behind InsightCounts, in the order of its sections; insightCountsFrom reads their rows. Events know
 * their language (data.lang), cases theirs; the outbox does not, so deliveries are counted in every language.
 */
export function insightQueries(filter: InsightsFilter): SqlStatement[] {
  const range = [filter.from, dayAfter(filter.to)];
  const lang = filter.lang ?? null;
  const events = (types: string) => ({
    where: `type IN (${types}) AND at >= ? AND at < ? AND (? IS NULL OR json_extract(data, '$.lang') = ?)`,
    params: [...range, lang, lang],
  });
  const decisions = events("'message.interpreted'");
  const topics = events("'answer.sent', 'handoff.requested'");
  const ratings = events("'answer.rated'");
  const cases = { where: "opened_at >= ? AND opened_at < ? AND (? IS NULL OR lang = ?)", params: [...range, lang, lang] };
  const firstAudit = (action: string) => `(SELECT MIN(a.at) FROM case_audit a WHERE a.case_id = c.id AND a.action = '${action}')`;
  return [
    {
      // A person counts once a day per channel, in the language of their last event that day naming one.
      sql: `SELECT day, channel, lang, COUNT(*) AS people FROM (
              SELECT substr(at, 1, 10) AS day, channel, json_extract(data, '$.lang') AS lang,
                     ROW_NUMBER() OVER (PARTITION BY substr(at, 1, 10), channel, user_key
                                        ORDER BY json_extract(data, '$.lang') IS NULL, at DESC, id DESC) AS nth
              FROM events WHERE at >= ? AND at < ? AND user_key != '')
            WHERE nth = 1 AND (? IS NULL OR lang = ?)
            GROUP BY day, channel, lang ORDER BY day, channel, lang`,
      params: [...range, lang, lang],
    },
    {
      sql: `SELECT substr(at, 1, 10) AS day, json_extract(data, '$.decision') AS decision, COUNT(*) AS n, ${PEOPLE} AS people
            FROM events WHERE ${decisions.where} GROUP BY day, decision ORDER BY day, decision`,
      params: decisions.params,
    },
    {
      sql: `SELECT json_extract(data, '$.intent') AS intent, COUNT(*) AS n, ${PEOPLE} AS people
            FROM events WHERE ${topics.where} GROUP BY intent ORDER BY n DESC, intent`,
      params: topics.params,
    },
    {
      sql: `SELECT category, priority, ${PEOPLE} AS people FROM cases WHERE ${cases.where} GROUP BY category, priority ORDER BY priority, category`,
      params: cases.params,
    },
    {
      // Closing is read from the audit, not closed_at: a case closed because its person was forgotten was not
      // closed by a caseworker.
      sql: `SELECT (julianday(${firstAudit("replied")}) - julianday(c.opened_at)) * 1440 AS first_reply,
                   (julianday(${firstAudit("closed")}) - julianday(c.opened_at)) * 1440 AS close
            FROM cases c WHERE ${cases.where} ORDER BY c.opened_at, c.id`,
      params: cases.params,
    },
    {
      sql: `SELECT substr(created_at, 1, 10) AS day, channel,
                   CASE WHEN status IN ('pending', 'sending', 'held') THEN 'waiting'
                        WHEN status = 'failed' OR delivery IN (${sqlList(UNDELIVERED)}) THEN 'failed'
                        WHEN delivery IN (${sqlList(IN_TRANSIT)}) THEN 'waiting'
                        ELSE 'delivered' END AS outcome,
                   COUNT(*) AS n, ${PEOPLE} AS people
            FROM outbox WHERE channel != 'caseworker' AND created_at >= ? AND created_at < ?
            GROUP BY day, channel, outcome ORDER BY day, channel, outcome`,
      params: range,
    },
    {
      // Ratings carry no key: each one is one person.
      sql: `SELECT json_extract(data, '$.intent') AS intent, json_extract(data, '$.lang') AS lang, json_extract(data, '$.country') AS country,
                   json_extract(data, '$.useful') AS useful, COUNT(*) AS n
            FROM events WHERE ${ratings.where} GROUP BY intent, lang, country, useful ORDER BY intent, lang, country, useful`,
      params: ratings.params,
    },
  ];
}

type Rows = readonly Record<string, unknown>[];
const minutes = (value: unknown) => (value === null || value === undefined ? null : Math.round(Number(value) * 100) / 100);

/** The rows of insightQueries (in their order) as InsightCounts. */
export function insightCountsFrom([conversations, decisions, topics, handoffs, caseTimes, deliveries, ratings]: readonly Rows[]): InsightCounts {
  return {
    conversations: (conversations ?? []).map((r) => ({ day: String(r.day), channel: r.channel as Channel, lang: (r.lang ?? null) as Lang | null, people: Number(r.people) })),
    decisions: (decisions ?? []).map((r) => ({
      day: String(r.day),
      decision: r.decision as InsightCounts["decisions"][number]["decision"],
      n: Number(r.n),
      people: Number(r.people),
    })),
    topics: (topics ?? []).map((r) => ({ intent: r.intent as IntentId, n: Number(r.n), people: Number(r.people) })),
    handoffs: (handoffs ?? []).map((r) => ({ category: r.category as IntentId, priority: Number(r.priority) as 1 | 2 | 3, people: Number(r.people) })),
    caseTimes: (caseTimes ?? []).map((r) => ({ firstReplyMinutes: minutes(r.first_reply), closeMinutes: minutes(r.close) })),
    deliveries: (deliveries ?? []).map((r) => ({
      day: String(r.day),
      channel: r.channel as Channel,
      outcome: r.outcome as InsightCounts["deliveries"][number]["outcome"],
      n: Number(r.n),
      people: Number(r.people),
    })),
    ratings: (ratings ?? []).map((r) => ({
      intent: r.intent as IntentId,
      lang: r.lang as Lang,
      country: (r.country ?? null) as CountryCode | null,
      // JSON true reads as 1 in SQLite.
      useful: r.useful === 1 || r.useful === true,
      n: Number(r.n),
    })),
  };
}
