import type { Channel, ConversationState } from "../../core/ports.js";
import type { UnansweredQuestion } from "../../core/store/questions.js";
import type { RetentionCutoffs, Store } from "../../core/store/store.js";
import type { StoredEvent, TurnRecord } from "../../core/store/turn.js";
import type { InsightCounts, InsightsFilter } from "../../core/insights/model.js";
import { addedQuestions, insightCountsFrom, insightQueries, questionStatements, unansweredQuery, unansweredQuestion, type UnansweredFilter, type UnansweredRow } from "../insights-sql.js";
import { addKeyCounts, keysInUseQuery, notSealedWith, openOr, SEALED_COLUMNS, UNREADABLE, type SealedColumn } from "../sealing.js";
import { COUNT_INBOUND, forgetStatements, forgottenItems, RELEASE_HELD, purgeStatements, type EventRow } from "../rows.js";
import { SqliteCases } from "./cases.js";

/**
 * The embedded default store: one SQLite file (WAL mode) under DATA_DIR. better-sqlite3 is synchronous and
 * fast; the async Store interface is kept so the same engine runs against D1 on Workers. Built in layers, one
 * concept a file (connection.ts → accounts.ts → outbox.ts → cases.ts); here: state, events, inbound messages,
 * the turn, retention, re-sealing and the insights' counts.
 */
export class SqliteStore extends SqliteCases implements Store {
  async getState(userKey: string): Promise<ConversationState | null> {
    const row = this.stmt("SELECT state FROM users WHERE user_key = ?").get(userKey) as { state: string } | undefined;
    return row ? (JSON.parse(row.state) as ConversationState) : null;
  }

  async saveState(userKey: string, channel: Channel, state: ConversationState): Promise<void> {
    this.writeState(userKey, channel, state);
  }

  async appendEvents(events: readonly StoredEvent[]): Promise<void> {
    this.db.transaction(() => this.writeEvents(events))();
  }

  private writeEvents(events: readonly StoredEvent[]): void {
    const insert = this.stmt("INSERT INTO events (type, user_key, channel, at, data) VALUES (?, ?, ?, ?, ?)");
    for (const e of events) insert.run(e.type, e.userKey, e.channel, e.at, JSON.stringify(e.data));
  }

  async listEvents(filter: { userKey?: string; type?: string; limit?: number } = {}): Promise<StoredEvent[]> {
    const rows = this.stmt(
        `SELECT type, user_key, channel, at, data FROM events
         WHERE (@userKey IS NULL OR user_key = @userKey) AND (@type IS NULL OR type = @type)
         ORDER BY id LIMIT @limit`,
      )
      .all({ userKey: filter.userKey ?? null, type: filter.type ?? null, limit: filter.limit ?? 1000 }) as EventRow[];
    return rows.map((r) => ({
      type: r.type,
      userKey: r.user_key,
      channel: r.channel as Channel,
      at: r.at,
      data: JSON.parse(r.data) as Record<string, unknown>,
    }));
  }

  async deleteUser(userKey: string): Promise<number> {
    return this.db.transaction(() => this.forget(userKey, new Date().toISOString()))();
  }

  /** Everything kept about a person, except replies still waiting to reach them. */
  private forget(userKey: string, at: string, notice?: string): number {
    let removed = 0;
    for (const { sql, params } of forgetStatements(userKey, at, notice)) removed += this.stmt(sql).run(...params).changes;
    return removed;
  }

  async hasInbound(channel: Channel, externalId: string): Promise<boolean> {
    return this.stmt("SELECT 1 FROM inbound WHERE channel = ? AND external_id = ?").get(channel, externalId) !== undefined;
  }

  async countInbound(userKey: string, since: string): Promise<number> {
    return (this.stmt(COUNT_INBOUND).get(userKey, since) as { n: number }).n;
  }

  async commitTurn(turn: TurnRecord): Promise<"committed" | "duplicate"> {
    return this.group.write((): "committed" | "duplicate" => {
      const { inbound } = turn;
      if (inbound) {
        const inserted = this.stmt("INSERT OR IGNORE INTO inbound (channel, external_id, user_key, text, received_at) VALUES (?, ?, ?, ?, ?)")
          .run(inbound.channel, inbound.externalId, turn.userKey, this.sealer.seal("inbound.text", inbound.text), inbound.at).changes;
        if (inserted === 0) return "duplicate";
      }
      if (turn.state === null) {
        this.forget(turn.userKey, inbound?.at ?? new Date().toISOString(), turn.forgetNotice);
        // Only what is no longer tied to the person (the count of deletions) survives a deletion.
        this.writeEvents(turn.events.filter((e) => e.userKey !== turn.userKey));
      } else {
        let state = turn.state;
        // The case was closed while this message was being read: the close wins (the person is back with the
        // bot and asked to rate), never a stale "with a caseworker" that would leave them talking to no one.
        if (state.withCaseworker && !turn.handoff) {
          const open = this.stmt("SELECT 1 FROM cases WHERE user_key = ? AND status != 'closed'").get(turn.userKey);
          if (!open) state = { ...state, withCaseworker: false, handoffSince: undefined, awaiting: "rating", options: undefined };
        }
        this.writeState(turn.userKey, turn.channel, state);
        this.writeEvents(turn.events);
        const questions = turn.questions ?? [];
        const sealed = addedQuestions(questions).map((q) => this.sealer.seal("unanswered.text", q.text));
        for (const { sql, params } of questionStatements(questions, sealed)) this.stmt(sql).run(...params);
        if (turn.handoff) this.openOrRaiseCase(turn.userKey, turn.channel, turn.handoff, !turn.relay);
        if (turn.relay) this.appendTranscript(turn.userKey, { at: turn.relay.at, text: turn.relay.text });
        if (turn.contact) {
          this.stmt(RELEASE_HELD).run(
            turn.contact.lastInboundAt,
            turn.userKey,
            turn.channel,
          );
          this.stmt(
              `INSERT INTO contacts (user_key, channel, address, last_inbound_at) VALUES (?, ?, ?, ?)
               ON CONFLICT (user_key, channel) DO UPDATE SET address = excluded.address, last_inbound_at = excluded.last_inbound_at`,
            )
            .run(turn.userKey, turn.channel, this.sealer.seal("contacts.address", turn.contact.address), turn.contact.lastInboundAt);
        }
      }
      this.insertOutbox(turn.state === null ? forgottenItems(turn) : turn.outbox, inbound?.at ?? new Date().toISOString());
      return "committed";
    });
  }

  async purge(cutoffs: RetentionCutoffs): Promise<{ texts: number; transcripts: number }> {
    return this.immediate(() => {
      const changes = purgeStatements(cutoffs).map(({ sql, params }) => this.stmt(sql).run(...params).changes);
      return { texts: changes[0]!, transcripts: changes[2]! };
    });
  }

  async reseal(limit: number): Promise<number> {
    return this.immediate(() => {
      let done = 0;
      for (const { table, column } of SEALED_COLUMNS) {
        const name = `${table}.${column}` as SealedColumn;
        const rows = this.stmt(`SELECT rowid AS rid, ${column} AS v FROM ${table} WHERE ${notSealedWith(column, this.sealer.keyId)} LIMIT ?`).all(limit - done) as { rid: number; v: string }[];
        const update = this.stmt(`UPDATE ${table} SET ${column} = ? WHERE rowid = ?`);
        for (const row of rows) update.run(this.sealer.seal(name, this.sealer.open(name, row.v)), row.rid);
        done += rows.length;
        if (done >= limit) break;
      }
      return done;
    });
  }

  async listUnanswered(filter: UnansweredFilter): Promise<UnansweredQuestion[]> {
    const { sql, params } = unansweredQuery(filter);
    const rows = this.stmt(sql).all(...params) as UnansweredRow[];
    return rows.map((r) => unansweredQuestion(r, openOr(() => this.sealer.open("unanswered.text", r.text), UNREADABLE)));
  }

  async insightCounts(filter: InsightsFilter): Promise<InsightCounts> {
    return insightCountsFrom(insightQueries(filter).map(({ sql, params }) => this.stmt(sql).all(...params) as Record<string, unknown>[]));
  }

  async keysInUse(): Promise<Record<string, number>> {
    const total: Record<string, number> = {};
    for (const { table, column } of SEALED_COLUMNS) addKeyCounts(total, this.stmt(keysInUseQuery(table, column)).all() as { k: string; n: number }[]);
    return total;
  }
}
