import { caseQueue } from "../core/conversation.js";
import type { Channel } from "../core/ports.js";
import type { CaseRecord, TranscriptLine } from "../core/store/cases.js";
import type { NewOutboxItem, OutboxItem, OutboxStatus, SendOutcome } from "../core/store/outbox.js";
import type { RetentionCutoffs } from "../core/store/store.js";
import type { TurnRecord } from "../core/store/turn.js";

/** Rows of the shared schema (src/store/migrations) and what they become: one home for both adapters. */

/** A statement both adapters run as it is (better-sqlite3 `run(...params)`, D1 `bind(...params)`). */
export interface SqlStatement {
  sql: string;
  params: unknown[];
}

export interface OutboxRow {
  id: number;
  channel: string;
  user_key: string;
  payload: string;
  status: string;
  attempts: number;
  next_attempt_at: string;
  created_at: string;
  provider_id: string | null;
  delivery: string | null;
  last_error: string | null;
}

/** How many of the person's recent messages a case's transcript keeps. */
export const TRANSCRIPT_LINES = 20;

/** An unclaimed P1 case is announced again at most this many times (then it is on the list, loudly, already). */
export const MAX_REANNOUNCEMENTS = 6;
/** A case keeps at most this many lines of conversation. */
export const MAX_TRANSCRIPT = 200;

export function caseRecord(r: CaseRow): CaseRecord {
  return {
    id: r.id,
    userKey: r.user_key,
    channel: r.channel as Channel,
    lang: r.lang as CaseRecord["lang"],
    country: r.country as CaseRecord["country"],
    category: r.category as CaseRecord["category"],
    priority: r.priority as CaseRecord["priority"],
    status: r.status as CaseRecord["status"],
    transcript: JSON.parse(r.transcript) as TranscriptLine[],
    openedAt: r.opened_at,
    updatedAt: r.updated_at,
    threadId: r.thread_id,
    claimedBy: r.claimed_by,
  };
}

export interface CaseRow {
  id: number;
  user_key: string;
  channel: string;
  lang: string;
  country: string | null;
  category: string;
  priority: number;
  status: string;
  transcript: string;
  opened_at: string;
  updated_at: string;
  thread_id: number | null;
  claimed_by: string | null;
}

/** What a delivered or failed item's payload becomes: nothing of the person is kept once it cannot be needed. */
export const SCRUBBED = "{}";

/** The person wrote: their replies held for WhatsApp's closed window go out (uses the partial index outbox_held). */
export const RELEASE_HELD = "UPDATE outbox SET status = 'pending', next_attempt_at = ? WHERE user_key = ? AND channel = ? AND status = 'held'";

/**
 * The outbox row `row` (a table alias) heads its person's queue: no older reply of theirs is pending or being sent.
 * Its condition is word for word the WHERE of the partial index outbox_heads (migration 0011), which is how SQLite
 * knows it may use that index: change both together.
 */
export function headOfQueue(row: string): string {
  return `NOT EXISTS (SELECT 1 FROM outbox p WHERE p.status IN ('pending', 'sending') AND p.user_key = ${row}.user_key AND p.id < ${row}.id)`;
}

/** Provider delivery statuses that are not final (Twilio's). */
export const IN_TRANSIT = new Set(["accepted", "queued", "scheduled", "sending", "sent"]);

export function outboxItem(r: OutboxRow): OutboxItem {
  return {
    id: r.id,
    channel: r.channel as Channel,
    userKey: r.user_key,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
    status: r.status as OutboxStatus,
    attempts: r.attempts,
    createdAt: r.created_at,
    providerId: r.provider_id,
    delivery: r.delivery,
    lastError: r.last_error,
  };
}

export interface EventRow {
  type: string;
  user_key: string;
  channel: string;
  at: string;
  data: string;
}


/**
 * The UPDATE that records what sending an item came to, ending in "WHERE id = ? AND <the claim is still this
 * one>": bind `params`, then the id, then the claim's attempt twice (null: whatever the claim).
 */
export function outcomeUpdate(outcome: SendOutcome, at: string): { sql: string; params: unknown[] } {
  const guard = " AND (? IS NULL OR (status = 'sending' AND attempts = ?))";
  switch (outcome.status) {
    case "sent":
      // Delivered: the address and the words are no longer needed here (unless a delivery report may still
      // send the item back).
      return {
        sql: `UPDATE outbox SET status = 'sent', sent_at = ?, provider_id = ?, last_error = NULL,
                payload = CASE WHEN ? THEN payload ELSE '${SCRUBBED}' END WHERE id = ?${guard}`,
        params: [at, outcome.providerId, outcome.awaitingReport ? 1 : 0],
      };
    case "retry":
      return { sql: `UPDATE outbox SET status = 'pending', next_attempt_at = ?, last_error = ? WHERE id = ?${guard}`, params: [outcome.at, outcome.error] };
    case "failed":
      return { sql: `UPDATE outbox SET status = 'failed', last_error = ?, payload = '${SCRUBBED}' WHERE id = ?${guard}`, params: [outcome.error] };
    case "held":
      // If the person wrote after the transport looked (their message reopens the window), it goes out now.
      return {
        sql: `UPDATE outbox SET last_error = ?,
                status = CASE WHEN EXISTS (SELECT 1 FROM contacts c WHERE c.user_key = outbox.user_key AND c.channel = outbox.channel
                                           AND ? IS NOT NULL AND c.last_inbound_at > ?) THEN 'pending' ELSE 'held' END,
                next_attempt_at = ?
              WHERE id = ?${guard}`,
        params: [outcome.reason, outcome.seenInboundAt ?? null, outcome.seenInboundAt ?? null, at],
      };
  }
}

/** A forgotten person's last replies (the deletion confirmation) go out on a queue tied to nobody. */
export function forgottenItems(turn: TurnRecord): NewOutboxItem[] {
  const queue = `forgotten:${crypto.randomUUID()}`;
  return turn.outbox.map((item) => (item.userKey === turn.userKey ? { ...item, userKey: queue } : item));
}

/**
 * Forgetting a person: every row about them is erased, or anonymised where the row must stay (the provider ids
 * that make a retried webhook harmless; a case's category, priority and audit, which hold nothing of the
 * person and keep the caseworkers' records and statistics whole). Their replies not yet sent and their case's
 * messages to the caseworkers go too. With `notice`, the caseworkers of each case still open are told in its
 * topic (or the group's general topic) that the person asked for deletion.
 */
export function forgetStatements(userKey: string, at: string, notice?: string): SqlStatement[] {
  const queue = caseQueue(userKey);
  return [
    // First, while the state still names it: the question their next turn would have settled (kept questions
    // are tied to nobody and stay).
    {
      sql: "DELETE FROM unanswered WHERE token IS NOT NULL AND token = (SELECT json_extract(state, '$.pending.token') FROM users WHERE user_key = ?)",
      params: [userKey],
    },
    { sql: "DELETE FROM events WHERE user_key = ?", params: [userKey] },
    { sql: "DELETE FROM users WHERE user_key = ?", params: [userKey] },
    { sql: "UPDATE inbound SET text = '', user_key = '' WHERE user_key = ?", params: [userKey] },
    { sql: "DELETE FROM contacts WHERE user_key = ?", params: [userKey] },
    { sql: "DELETE FROM outbox WHERE user_key IN (?, ?)", params: [userKey, queue] },
    ...(notice === undefined
      ? []
      : [
          {
            sql: `INSERT INTO outbox (channel, user_key, payload, status, next_attempt_at, created_at)
                  SELECT 'caseworker', 'deleted:' || id, json_object('kind', 'note', 'caseId', id, 'text', replace(?, '{case}', id), 'general', json(CASE WHEN thread_id IS NULL THEN 'true' ELSE 'false' END)), 'pending', ?, ?
                  FROM cases WHERE user_key = ? AND status != 'closed'`,
            params: [notice, at, at, userKey],
          },
        ]),
    { sql: "INSERT INTO case_audit (case_id, actor, action, at) SELECT id, 'person', 'deleted', ? FROM cases WHERE user_key = ?", params: [at, userKey] },
    { sql: "DELETE FROM case_notes WHERE case_id IN (SELECT id FROM cases WHERE user_key = ?)", params: [userKey] },
    {
      sql: `UPDATE cases SET user_key = 'deleted:' || id, transcript = '[]', status = 'closed', closed_at = COALESCE(closed_at, ?), updated_at = ?
            WHERE user_key = ?`,
      params: [at, at, userKey],
    },
  ];
}

/**
 * The retention purge, in order: the first statement's changes are the texts erased, the third's the transcripts
 * (the audit line is written before the transcript goes).
 */
export function purgeStatements(c: RetentionCutoffs): SqlStatement[] {
  // An answer not rated by the end of the next day never will be; a clarification not resolved by then stays
  // counted, unlinked from the person's state.
  const dayBefore = new Date(Date.parse(c.now) - 86_400_000).toISOString().slice(0, 10);
  return [
    { sql: "UPDATE inbound SET text = '' WHERE received_at < ? AND text != ''", params: [c.textBefore] },
    {
      sql: "INSERT INTO case_audit (case_id, actor, action, at) SELECT id, 'system', 'transcript purged', ? FROM cases WHERE status = 'closed' AND closed_at < ? AND transcript != '[]'",
      params: [c.now, c.closedBefore],
    },
    { sql: "UPDATE cases SET transcript = '[]' WHERE status = 'closed' AND closed_at < ? AND transcript != '[]'", params: [c.closedBefore] },
    { sql: "DELETE FROM case_notes WHERE case_id IN (SELECT id FROM cases WHERE status = 'closed' AND closed_at < ?)", params: [c.closedBefore] },
    // Past the same horizon, what a person did (intents, countries, languages) is no longer tied to them, and
    // replies delivered or given up on (whose words are already gone) leave the outbox.
    { sql: "UPDATE events SET user_key = '' WHERE at < ? AND user_key != ''", params: [c.textBefore] },
    // (A reply held that long for WhatsApp's window will never be read: the person has not written since.)
    { sql: "DELETE FROM outbox WHERE status IN ('sent', 'failed', 'held') AND created_at < ?", params: [c.textBefore] },
    { sql: "DELETE FROM sessions WHERE expires_at < ?", params: [c.now] },
    { sql: "DELETE FROM signin_failures WHERE at < ?", params: [c.textBefore] },
    // Unanswered questions are kept whole days, as long as message text.
    { sql: "DELETE FROM unanswered WHERE day < ?", params: [c.textBefore.slice(0, 10)] },
    { sql: "DELETE FROM unanswered WHERE kind = 'answered' AND day < ?", params: [dayBefore] },
    { sql: "UPDATE unanswered SET token = NULL WHERE kind = 'clarify' AND token IS NOT NULL AND day < ?", params: [dayBefore] },
  ];
}

export const CASES_BY_STATUS = "SELECT status AS k, COUNT(*) AS n FROM cases GROUP BY status";
export const CASE_ACTIONS = "SELECT action AS k, COUNT(*) AS n FROM case_audit GROUP BY action";

/** The rows of CASES_BY_STATUS and CASE_ACTIONS as counts (every status present, even at 0). */
export function caseCounts(byStatus: readonly { k: string; n: number }[], actions: readonly { k: string; n: number }[]) {
  const statuses: Record<CaseRecord["status"], number> = { open: 0, claimed: 0, closed: 0 };
  for (const { k, n } of byStatus) statuses[k as CaseRecord["status"]] = n;
  return { byStatus: statuses, actions: Object.fromEntries(actions.map(({ k, n }) => [k, n])) };
}

/** True when the case's person asked to be forgotten (the case is anonymised, see forgetStatements). */
export const CASE_FORGOTTEN = "SELECT 1 AS one FROM cases WHERE id = ? AND user_key LIKE 'deleted:%'";

export const COUNT_INBOUND = "SELECT COUNT(*) AS n FROM inbound WHERE user_key = ? AND received_at >= ?";
