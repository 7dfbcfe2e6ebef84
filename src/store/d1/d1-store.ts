import type { Channel, ConversationState } from "../../core/ports.js";
import type { UnansweredQuestion } from "../../core/store/questions.js";
import type { RetentionCutoffs, Store } from "../../core/store/store.js";
import type { StoredEvent, TurnRecord } from "../../core/store/turn.js";
import type { InsightCounts, InsightsFilter } from "../../core/insights/model.js";
import { addedQuestions, insightCountsFrom, insightQueries, questionStatements, unansweredQuery, unansweredQuestion, type UnansweredFilter, type UnansweredRow } from "../insights-sql.js";
import { addKeyCounts, keysInUseQuery, notSealedWith, openOr, SEALED_COLUMNS, UNREADABLE, type SealedColumn } from "../sealing.js";
import { COUNT_INBOUND, forgetStatements, forgottenItems, RELEASE_HELD, purgeStatements, type EventRow } from "../rows.js";
import { D1Cases } from "./cases.js";
import type { D1Statement } from "./connection.js";

/**
 * The Store on Cloudflare D1 (Workers), on the same schema as SQLite (src/store/migrations, applied by
 * `wrangler d1 migrations apply`). D1 has no interactive transactions: each operation reads what it needs,
 * then writes in one `batch()`, which D1 runs atomically. Where a read decides a write, the write carries the
 * condition in SQL too (the inbound id's UNIQUE constraint makes a retried webhook fail the whole batch; a case
 * opens only if none is open), so two requests racing cannot both win. Built in layers as the SQLite store is
 * (connection.ts → accounts.ts → outbox.ts → cases.ts); here: state, events, inbound messages, the turn,
 * retention, re-sealing and the insights' counts.
 */
export class D1Store extends D1Cases implements Store {
  async getState(userKey: string): Promise<ConversationState | null> {
    const row = await this.q("SELECT state FROM users WHERE user_key = ?", userKey).first<{ state: string }>();
    return row ? (JSON.parse(row.state) as ConversationState) : null;
  }

  async saveState(userKey: string, channel: Channel, state: ConversationState): Promise<void> {
    await this.writeState(userKey, channel, state).run();
  }

  private writeState(userKey: string, channel: Channel, state: ConversationState): D1Statement {
    const now = new Date().toISOString();
    return this.q(
      `INSERT INTO users (user_key, channel, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (user_key) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
      userKey,
      channel,
      JSON.stringify(state),
      now,
      now,
    );
  }

  async appendEvents(events: readonly StoredEvent[]): Promise<void> {
    if (events.length > 0) await this.db.batch(this.writeEvents(events));
  }

  private writeEvents(events: readonly StoredEvent[]): D1Statement[] {
    return events.map((e) => this.q("INSERT INTO events (type, user_key, channel, at, data) VALUES (?, ?, ?, ?, ?)", e.type, e.userKey, e.channel, e.at, JSON.stringify(e.data)));
  }

  async listEvents(filter: { userKey?: string; type?: string; limit?: number } = {}): Promise<StoredEvent[]> {
    const { results } = await this.q(
      `SELECT type, user_key, channel, at, data FROM events
       WHERE (?1 IS NULL OR user_key = ?1) AND (?2 IS NULL OR type = ?2) ORDER BY id LIMIT ?3`,
      filter.userKey ?? null,
      filter.type ?? null,
      filter.limit ?? 1000,
    ).all<EventRow>();
    return results.map((r) => ({ type: r.type, userKey: r.user_key, channel: r.channel as Channel, at: r.at, data: JSON.parse(r.data) as Record<string, unknown> }));
  }

  async deleteUser(userKey: string): Promise<number> {
    const results = await this.db.batch(this.forget(userKey, new Date().toISOString()));
    return results.reduce((sum, r) => sum + r.meta.changes, 0);
  }

  /** Everything kept about a person, except replies still waiting to reach them (as in the SQLite store). */
  private forget(userKey: string, at: string, notice?: string): D1Statement[] {
    return forgetStatements(userKey, at, notice).map(({ sql, params }) => this.q(sql, ...params));
  }

  async countInbound(userKey: string, since: string): Promise<number> {
    return (await this.q(COUNT_INBOUND, userKey, since).first<{ n: number }>())?.n ?? 0;
  }

  async commitTurn(turn: TurnRecord): Promise<"committed" | "duplicate"> {
    const { inbound } = turn;
    if (inbound && (await this.hasInbound(inbound.channel, inbound.externalId))) return "duplicate";
    const writes: D1Statement[] = [];
    if (inbound) {
      const text = await this.sealer.seal("inbound.text", inbound.text);
      writes.push(this.q("INSERT INTO inbound (channel, external_id, user_key, text, received_at) VALUES (?, ?, ?, ?, ?)", inbound.channel, inbound.externalId, turn.userKey, text, inbound.at));
    }
    if (turn.state === null) {
      writes.push(...this.forget(turn.userKey, inbound?.at ?? new Date().toISOString(), turn.forgetNotice), ...this.writeEvents(turn.events.filter((e) => e.userKey !== turn.userKey)));
    } else {
      let state = turn.state;
      if (state.withCaseworker && !turn.handoff) {
        const open = await this.q("SELECT 1 AS one FROM cases WHERE user_key = ? AND status != 'closed'", turn.userKey).first();
        if (!open) state = { ...state, withCaseworker: false, handoffSince: undefined, awaiting: "rating", options: undefined };
      }
      writes.push(this.writeState(turn.userKey, turn.channel, state), ...this.writeEvents(turn.events));
      const questions = turn.questions ?? [];
      const sealed = await Promise.all(addedQuestions(questions).map((q) => this.sealer.seal("unanswered.text", q.text)));
      writes.push(...questionStatements(questions, sealed).map(({ sql, params }) => this.q(sql, ...params)));
      // The person's message is already in `inbound` by the time the case reads its transcript (same batch order).
      if (turn.handoff) writes.push(...(await this.openOrRaiseCase(turn.userKey, turn.channel, turn.handoff, !turn.relay, inbound ? { at: inbound.at, text: inbound.text } : null)));
      if (turn.relay) writes.push(...(await this.appendTranscript(turn.userKey, { at: turn.relay.at, text: turn.relay.text })));
      if (turn.contact) {
        writes.push(
          this.q(RELEASE_HELD, turn.contact.lastInboundAt, turn.userKey, turn.channel),
          this.q(
            `INSERT INTO contacts (user_key, channel, address, last_inbound_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (user_key, channel) DO UPDATE SET address = excluded.address, last_inbound_at = excluded.last_inbound_at`,
            turn.userKey,
            turn.channel,
            await this.sealer.seal("contacts.address", turn.contact.address),
            turn.contact.lastInboundAt,
          ),
        );
      }
    }
    writes.push(...(await this.insertOutbox(turn.state === null ? forgottenItems(turn) : turn.outbox, inbound?.at ?? new Date().toISOString())));
    return this.onceFor(writes);
  }

  async purge(cutoffs: RetentionCutoffs): Promise<{ texts: number; transcripts: number }> {
    const results = await this.db.batch(purgeStatements(cutoffs).map(({ sql, params }) => this.q(sql, ...params)));
    return { texts: results[0]!.meta.changes, transcripts: results[2]!.meta.changes };
  }

  async reseal(limit: number): Promise<number> {
    let done = 0;
    for (const { table, column } of SEALED_COLUMNS) {
      const name = `${table}.${column}` as SealedColumn;
      const { results } = await this.q(`SELECT rowid AS rid, ${column} AS v FROM ${table} WHERE ${notSealedWith(column, this.sealer.keyId)} LIMIT ?`, limit - done).all<{ rid: number; v: string }>();
      if (results.length === 0) continue;
      // Only if unchanged since read: a value written meanwhile is already under the current key.
      const updates = await Promise.all(
        results.map(async (row) => this.q(`UPDATE ${table} SET ${column} = ? WHERE rowid = ? AND ${column} = ?`, await this.sealer.seal(name, await this.sealer.open(name, row.v)), row.rid, row.v)),
      );
      await this.db.batch(updates);
      done += results.length;
      if (done >= limit) break;
    }
    return done;
  }

  async listUnanswered(filter: UnansweredFilter): Promise<UnansweredQuestion[]> {
    const { sql, params } = unansweredQuery(filter);
    const { results } = await this.q(sql, ...params).all<UnansweredRow>();
    return Promise.all(results.map(async (r) => unansweredQuestion(r, await openOr(() => this.sealer.open("unanswered.text", r.text), UNREADABLE))));
  }

  async insightCounts(filter: InsightsFilter): Promise<InsightCounts> {
    const results = await this.db.batch<Record<string, unknown>>(insightQueries(filter).map(({ sql, params }) => this.q(sql, ...params)));
    return insightCountsFrom(results.map((r) => r.results));
  }

  async keysInUse(): Promise<Record<string, number>> {
    const columns = await this.db.batch<{ k: string; n: number }>(SEALED_COLUMNS.map(({ table, column }) => this.q(keysInUseQuery(table, column))));
    return columns.reduce((total, { results }) => addKeyCounts(total, results), {} as Record<string, number>);
  }
}
