import type { Channel, ConversationState } from "../../core/ports.js";
import type { CaseRecord, CaseRequest, CaseworkerAccount, CaseworkerReply, CaseworkerSession, TranscriptLine } from "../../core/store/cases.js";
import type { Contact, NewOutboxItem, OutboxItem, OutboxStatus, SendOutcome } from "../../core/store/outbox.js";
import type { UnansweredQuestion } from "../../core/store/questions.js";
import type { RetentionCutoffs, Store } from "../../core/store/store.js";
import type { StoredEvent, TurnRecord } from "../../core/store/turn.js";
import type { InsightCounts, InsightsFilter } from "../../core/insights/model.js";
import { addedQuestions, insightCountsFrom, insightQueries, questionStatements, unansweredQuery, unansweredQuestion, type UnansweredFilter, type UnansweredRow } from "../insights-sql.js";
import { addKeyCounts, keysInUseQuery, notSealedWith, openOr, SEALED_COLUMNS, UNREADABLE, UNREADABLE_TRANSCRIPT, type SealedColumn, type Sealer } from "../sealing.js";
import {
  CASE_ACTIONS, CASE_FORGOTTEN, caseCounts, CASES_BY_STATUS, caseRecord, COUNT_INBOUND, IN_TRANSIT, MAX_REANNOUNCEMENTS, MAX_TRANSCRIPT, forgetStatements, forgottenItems, headOfQueue, RELEASE_HELD, outboxItem, outcomeUpdate, purgeStatements, SCRUBBED, TRANSCRIPT_LINES, type CaseRow, type EventRow, type OutboxRow,
} from "../rows.js";

/**
 * The Store on Cloudflare D1 (Workers), on the same schema as SQLite (src/store/migrations, applied by
 * `wrangler d1 migrations apply`). D1 has no interactive transactions: each operation reads what it needs,
 * then writes in one `batch()`, which D1 runs atomically. Where a read decides a write, the write carries the
 * condition in SQL too (the inbound id's UNIQUE constraint makes a retried webhook fail the whole batch; a case
 * opens only if none is open), so two requests racing cannot both win.
 *
 * Only the part of the D1 API used here is declared, so Node's type check needs no Workers types.
 */
export interface D1Result<T> {
  results: T[];
  meta: { changes: number; last_row_id: number };
}
export interface D1Statement {
  bind(...values: unknown[]): D1Statement;
  first<T = Record<string, unknown>>(): Promise<T | null>;
  all<T = Record<string, unknown>>(): Promise<D1Result<T>>;
  run(): Promise<D1Result<unknown>>;
}
export interface D1Like {
  prepare(sql: string): D1Statement;
  batch<T = unknown>(statements: D1Statement[]): Promise<D1Result<T>[]>;
}

const isUniqueViolation = (error: unknown) => /UNIQUE constraint failed/i.test(String((error as Error)?.message ?? error));

export class D1Store implements Store {
  /** `sealer` encrypts what identifies a person (src/store/sealing.ts). */
  constructor(
    private readonly db: D1Like,
    private readonly sealer: Sealer,
  ) {}

  private q(sql: string, ...params: unknown[]): D1Statement {
    return this.db.prepare(sql).bind(...params);
  }

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

  async hasInbound(channel: Channel, externalId: string): Promise<boolean> {
    return (await this.q("SELECT 1 AS one FROM inbound WHERE channel = ? AND external_id = ?", channel, externalId).first()) !== null;
  }

  async countInbound(userKey: string, since: string): Promise<number> {
    return (await this.q(COUNT_INBOUND, userKey, since).first<{ n: number }>())?.n ?? 0;
  }

  /** Runs a batch that starts by recording a provider id; a retry of that id fails the batch as a whole. */
  private async onceFor(statements: D1Statement[]): Promise<"committed" | "duplicate"> {
    try {
      await this.db.batch(statements);
      return "committed";
    } catch (error) {
      if (isUniqueViolation(error)) return "duplicate";
      throw error;
    }
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

  private async openOrRaiseCase(userKey: string, channel: Channel, request: CaseRequest, addLine: boolean, current: TranscriptLine | null): Promise<D1Statement[]> {
    const { results } = await this.q("SELECT text, received_at AS at FROM inbound WHERE user_key = ? ORDER BY id DESC LIMIT ?", userKey, TRANSCRIPT_LINES).all<TranscriptLine>();
    const stored = await Promise.all(results.map(async (line) => ({ at: line.at, text: await openOr(() => this.sealer.open("inbound.text", line.text), UNREADABLE) })));
    const recent = [...(current ? [current] : []), ...stored].slice(0, TRANSCRIPT_LINES).reverse();
    const transcript = recent.length > 0 ? recent : [{ at: request.at, text: request.text }];
    const open = await this.q("SELECT id, priority, transcript FROM cases WHERE user_key = ? AND status != 'closed' ORDER BY id DESC LIMIT 1", userKey).first<{
      id: number;
      priority: number;
      transcript: string;
    }>();
    if (open) {
      const raise = request.priority < open.priority;
      const writes = [
        this.q(
          `UPDATE cases SET updated_at = ?, priority = CASE WHEN ? THEN ? ELSE priority END, category = CASE WHEN ? THEN ? ELSE category END WHERE id = ?`,
          request.at,
          raise ? 1 : 0,
          request.priority,
          raise ? 1 : 0,
          request.category,
          open.id,
        ),
      ];
      if (addLine) writes.push(await this.transcriptWrite(open.id, open.transcript, { at: request.at, text: request.text }));
      return writes;
    }
    // Opened only if no case is open when the batch runs (a racing request may have opened one meanwhile).
    return [
      this.q(
        `INSERT INTO cases (user_key, channel, lang, country, category, priority, status, transcript, opened_at, updated_at)
         SELECT ?, ?, ?, ?, ?, ?, 'open', ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM cases WHERE user_key = ? AND status != 'closed')`,
        userKey,
        channel,
        request.lang,
        request.country,
        request.category,
        request.priority,
        await this.sealer.seal("cases.transcript", JSON.stringify(transcript)),
        request.at,
        request.at,
        userKey,
      ),
      // Statements of a batch run in order on one connection: the row just inserted, if it was.
      this.q("INSERT INTO case_audit (case_id, actor, action, at) SELECT last_insert_rowid(), 'system', 'opened', ? WHERE changes() = 1", request.at),
    ];
  }

  private async transcriptWrite(caseId: number, stored: string, line: TranscriptLine): Promise<D1Statement> {
    const opened = await openOr(() => this.sealer.open("cases.transcript", stored), UNREADABLE_TRANSCRIPT);
    const transcript = [...(JSON.parse(opened) as TranscriptLine[]), line].slice(-MAX_TRANSCRIPT);
    return this.q("UPDATE cases SET transcript = ?, updated_at = ? WHERE id = ?", await this.sealer.seal("cases.transcript", JSON.stringify(transcript)), line.at, caseId);
  }

  private async caseOf(row: CaseRow): Promise<CaseRecord> {
    return caseRecord({ ...row, transcript: await openOr(() => this.sealer.open("cases.transcript", row.transcript), UNREADABLE_TRANSCRIPT) });
  }

  private async itemOf(row: OutboxRow): Promise<OutboxItem> {
    return outboxItem({ ...row, payload: await this.sealer.open("outbox.payload", row.payload) });
  }

  private async appendTranscript(userKey: string, line: TranscriptLine, caseId?: number): Promise<D1Statement[]> {
    const row =
      caseId !== undefined
        ? await this.q("SELECT id, transcript FROM cases WHERE id = ?", caseId).first<{ id: number; transcript: string }>()
        : await this.q("SELECT id, transcript FROM cases WHERE user_key = ? AND status != 'closed' ORDER BY id DESC LIMIT 1", userKey).first<{ id: number; transcript: string }>();
    return row ? [await this.transcriptWrite(row.id, row.transcript, line)] : [];
  }

  async getCase(query: { id?: number; threadId?: number; userKey?: string }): Promise<CaseRecord | null> {
    const row =
      query.id !== undefined
        ? await this.q("SELECT * FROM cases WHERE id = ?", query.id).first<CaseRow>()
        : query.threadId !== undefined
          ? await this.q("SELECT * FROM cases WHERE thread_id = ? ORDER BY id DESC LIMIT 1", query.threadId).first<CaseRow>()
          : await this.q("SELECT * FROM cases WHERE user_key = ? ORDER BY status = 'closed', id DESC LIMIT 1", query.userKey ?? "").first<CaseRow>();
    return row ? this.caseOf(row) : null;
  }

  async setCaseThread(caseId: number, threadId: number): Promise<void> {
    await this.q("UPDATE cases SET thread_id = ? WHERE id = ?", threadId, caseId).run();
  }

  private audit(caseId: number, actor: string, action: string, at: string): D1Statement {
    return this.q("INSERT INTO case_audit (case_id, actor, action, at) VALUES (?, ?, ?, ?)", caseId, actor, action, at);
  }

  async addCaseAudit(caseId: number, actor: string, action: string, at: string): Promise<void> {
    await this.audit(caseId, actor, action, at).run();
  }

  async addCaseNote(caseId: number, author: string, text: string, at: string): Promise<void> {
    const sealed = await this.sealer.seal("case_notes.text", text);
    await this.db.batch([this.q("INSERT INTO case_notes (case_id, author, text, at) VALUES (?, ?, ?, ?)", caseId, author, sealed, at), this.audit(caseId, author, "noted", at)]);
  }

  async listCaseNotes(caseId: number): Promise<{ author: string; text: string; at: string }[]> {
    const { results } = await this.q("SELECT author, text, at FROM case_notes WHERE case_id = ? ORDER BY id", caseId).all<{ author: string; text: string; at: string }>();
    return Promise.all(results.map(async (n) => ({ ...n, text: await this.sealer.open("case_notes.text", n.text) })));
  }

  async listCaseworkers(): Promise<Omit<CaseworkerAccount, "passwordHash">[]> {
    return (await this.q("SELECT id, username, role, lang FROM caseworkers ORDER BY username").all<Omit<CaseworkerAccount, "passwordHash">>()).results;
  }

  async caseAudit(caseId: number): Promise<{ actor: string; action: string; at: string }[]> {
    return (await this.q("SELECT actor, action, at FROM case_audit WHERE case_id = ? ORDER BY id", caseId).all<{ actor: string; action: string; at: string }>()).results;
  }

  async reannounce(now: string, minutes: number, notice: (c: CaseRecord) => NewOutboxItem): Promise<number> {
    const before = new Date(Date.parse(now) - minutes * 60_000).toISOString();
    const { results } = await this.q(
      `SELECT * FROM cases c WHERE status = 'open' AND priority = 1 AND COALESCE(announced_at, opened_at) <= ?
         AND (SELECT COUNT(*) FROM case_audit a WHERE a.case_id = c.id AND a.action = 'reannounced') < ?
       ORDER BY opened_at`,
      before,
      MAX_REANNOUNCEMENTS,
    ).all<CaseRow>();
    if (results.length === 0) return 0;
    const writes: D1Statement[] = [];
    for (const row of results) {
      writes.push(
        ...(await this.insertOutbox([notice(await this.caseOf(row))], new Date().toISOString())),
        this.q("UPDATE cases SET announced_at = ? WHERE id = ?", now, row.id),
        this.audit(row.id, "system", "reannounced", now),
      );
    }
    await this.db.batch(writes);
    return results.length;
  }

  async caseworkerReply(reply: CaseworkerReply): Promise<"committed" | "duplicate" | "unreachable"> {
    if (await this.q(CASE_FORGOTTEN, reply.caseId).first()) return "unreachable";
    if (await this.hasInbound("caseworker", reply.externalId)) return "duplicate";
    // The replies go only if the person has not been forgotten by the time the batch runs (a deletion racing
    // this answer): the condition is in each insert.
    return this.onceFor([
      this.q("INSERT INTO inbound (channel, external_id, user_key, text, received_at) VALUES ('caseworker', ?, '', '', ?)", reply.externalId, reply.at),
      ...(await this.appendTranscript("", { at: reply.at, text: reply.text, from: "caseworker" }, reply.caseId)),
      this.audit(reply.caseId, reply.actor, "replied", reply.at),
      ...(await this.insertOutbox(reply.outbox, reply.at, reply.caseId)),
    ]);
  }

  async updateCase(caseId: number, change: { claimedBy: string; force?: boolean } | { closedBy: string }, at: string, outbox: readonly NewOutboxItem[]): Promise<CaseRecord | null> {
    const row = await this.q("SELECT * FROM cases WHERE id = ?", caseId).first<CaseRow>();
    if (!row || row.status === "closed") return null;
    let writes: D1Statement[];
    if ("claimedBy" in change) {
      const mayClaim = change.force || row.status === "open" || row.claimed_by === change.claimedBy;
      if (!mayClaim) return null;
      // The same rule in SQL: of two claims at once, the first wins.
      const claim = await this.q(
        `UPDATE cases SET status = 'claimed', claimed_by = ?, updated_at = ?
         WHERE id = ? AND status != 'closed' AND (? OR status = 'open' OR claimed_by = ?)`,
        change.claimedBy,
        at,
        caseId,
        change.force ? 1 : 0,
        change.claimedBy,
      ).run();
      if (claim.meta.changes === 0) return null;
      writes = [this.audit(caseId, change.claimedBy, "claimed", at)];
    } else {
      const close = await this.q("UPDATE cases SET status = 'closed', closed_at = ?, updated_at = ? WHERE id = ? AND status != 'closed'", at, at, caseId).run();
      if (close.meta.changes === 0) return null;
      writes = [this.audit(caseId, change.closedBy, "closed", at)];
      const user = await this.q("SELECT channel, state FROM users WHERE user_key = ?", row.user_key).first<{ channel: Channel; state: string }>();
      if (user) {
        const state = JSON.parse(user.state) as ConversationState;
        const back = { ...state, withCaseworker: false, handoffSince: undefined, awaiting: "rating", options: undefined };
        // An UPDATE, not an upsert: should the person delete their data before this batch runs, nothing comes back.
        writes.push(this.q("UPDATE users SET state = ?, updated_at = ? WHERE user_key = ?", JSON.stringify(back), at, row.user_key));
      }
    }
    // Nor is anything sent to a person forgotten meanwhile.
    await this.db.batch([...writes, ...(await this.insertOutbox(outbox, at, caseId))]);
    return this.caseOf((await this.q("SELECT * FROM cases WHERE id = ?", caseId).first<CaseRow>())!);
  }

  async listCases(filter: { status?: CaseRecord["status"]; userKey?: string } = {}): Promise<CaseRecord[]> {
    const { results } = await this.q(
      `SELECT * FROM cases WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR user_key = ?2) ORDER BY priority, opened_at, id`,
      filter.status ?? null,
      filter.userKey ?? null,
    ).all<CaseRow>();
    return Promise.all(results.map((row) => this.caseOf(row)));
  }

  async getContact(userKey: string, channel: Channel): Promise<Contact | null> {
    const row = await this.q("SELECT address, last_inbound_at FROM contacts WHERE user_key = ? AND channel = ?", userKey, channel).first<{ address: string; last_inbound_at: string }>();
    return row ? { address: await this.sealer.open("contacts.address", row.address), lastInboundAt: row.last_inbound_at } : null;
  }

  async enqueue(items: readonly NewOutboxItem[]): Promise<number[]> {
    if (items.length === 0) return [];
    const results = await this.db.batch(await this.insertOutbox(items, new Date().toISOString()));
    return results.map((r) => r.meta.last_row_id);
  }

  /** With `unlessForgotten`, each item is written only if that case's person has not been forgotten meanwhile. */
  private insertOutbox(items: readonly NewOutboxItem[], now: string, unlessForgotten?: number): Promise<D1Statement[]> {
    const guard = unlessForgotten === undefined ? "" : ` WHERE NOT EXISTS (${CASE_FORGOTTEN})`;
    return Promise.all(
      items.map(async (item) =>
        this.q(
          `INSERT INTO outbox (channel, user_key, payload, status, next_attempt_at, created_at) SELECT ?, ?, ?, 'pending', ?, ?${guard}`,
          item.channel,
          item.userKey,
          await this.sealer.seal("outbox.payload", JSON.stringify(item.payload)),
          item.notBefore ?? now,
          now,
          ...(unlessForgotten === undefined ? [] : [unlessForgotten]),
        ),
      ),
    );
  }

  async claimDue(now: string, leaseUntil: string, limit: number, channels?: readonly Channel[]): Promise<OutboxItem[]> {
    const select = (status: "pending" | "sending") =>
      this.q(
        `SELECT o.* FROM outbox o
         WHERE o.status = '${status}' AND o.next_attempt_at <= ?1
           AND (?2 IS NULL OR instr(?3, ',' || o.channel || ',') > 0)
           AND ${headOfQueue("o")}
         ORDER BY o.next_attempt_at, o.id LIMIT ?4`,
        now,
        channels ? 1 : null,
        channels ? `,${channels.join(",")},` : null,
        limit,
      ).all<OutboxRow>();
    const [sending, pending] = await Promise.all([select("sending"), select("pending")]);
    const rows = [...sending.results, ...pending.results]
      .sort((a, b) => (a.next_attempt_at < b.next_attempt_at ? -1 : a.next_attempt_at > b.next_attempt_at ? 1 : a.id - b.id))
      .slice(0, limit);
    if (rows.length === 0) return [];
    // Claimed only if still as read (status and attempts unchanged): a concurrent claimer gets nothing twice.
    const claims = await this.db.batch(
      rows.map((r) => this.q("UPDATE outbox SET status = 'sending', attempts = attempts + 1, next_attempt_at = ? WHERE id = ? AND status = ? AND attempts = ?", leaseUntil, r.id, r.status, r.attempts)),
    );
    return Promise.all(rows.filter((_, i) => claims[i]!.meta.changes === 1).map((r) => this.itemOf({ ...r, status: "sending", attempts: r.attempts + 1 })));
  }

  async completeOutbox(id: number, outcome: SendOutcome, at: string, attempt?: number): Promise<void> {
    const { sql, params } = outcomeUpdate(outcome, at);
    await this.q(sql, ...params, id, attempt ?? null, attempt ?? null).run();
  }

  async recordDelivery(providerId: string, status: string, errorCode: string | null, hold = false): Promise<boolean> {
    const final = !hold && !IN_TRANSIT.has(status);
    const result = await this.q(
      `UPDATE outbox SET delivery = ?, last_error = COALESCE(?, last_error), status = CASE WHEN ? THEN 'held' ELSE status END,
         payload = CASE WHEN ? THEN '${SCRUBBED}' ELSE payload END WHERE provider_id = ?`,
      status,
      errorCode,
      hold ? 1 : 0,
      final ? 1 : 0,
      providerId,
    ).run();
    return result.meta.changes > 0;
  }

  async releaseHeld(userKey: string, channel: Channel, at: string): Promise<number> {
    return (await this.q(RELEASE_HELD, at, userKey, channel).run()).meta.changes;
  }

  async getOutbox(filter: { userKey?: string; status?: OutboxStatus } = {}): Promise<OutboxItem[]> {
    const { results } = await this.q("SELECT * FROM outbox WHERE (?1 IS NULL OR user_key = ?1) AND (?2 IS NULL OR status = ?2) ORDER BY id", filter.userKey ?? null, filter.status ?? null).all<OutboxRow>();
    return Promise.all(results.map((row) => this.itemOf(row)));
  }

  async outboxCounts(): Promise<Record<OutboxStatus, number>> {
    const counts: Record<OutboxStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0, held: 0 };
    for (const row of (await this.q("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status").all<{ status: OutboxStatus; n: number }>()).results) counts[row.status] = row.n;
    return counts;
  }

  async nextDue(): Promise<string | null> {
    return (await this.q("SELECT MIN(next_attempt_at) AS at FROM outbox WHERE status IN ('pending', 'sending')").first<{ at: string | null }>())?.at ?? null;
  }

  async addCaseworker(account: Omit<CaseworkerAccount, "id">, at: string): Promise<number> {
    const result = await this.q("INSERT INTO caseworkers (username, password_hash, role, lang, created_at) VALUES (?, ?, ?, ?, ?)", account.username, account.passwordHash, account.role, account.lang, at).run();
    return result.meta.last_row_id;
  }

  async findCaseworker(username: string): Promise<CaseworkerAccount | null> {
    const row = await this.q("SELECT id, username, password_hash, role, lang FROM caseworkers WHERE username = ?", username).first<{
      id: number;
      username: string;
      password_hash: string;
      role: CaseworkerAccount["role"];
      lang: CaseworkerAccount["lang"];
    }>();
    return row ? { id: row.id, username: row.username, passwordHash: row.password_hash, role: row.role, lang: row.lang } : null;
  }

  async createSession(tokenHash: string, caseworkerId: number, csrf: string, at: string, expiresAt: string): Promise<void> {
    await this.q("INSERT INTO sessions (token_hash, caseworker_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)", tokenHash, caseworkerId, csrf, at, expiresAt).run();
  }

  async getSession(tokenHash: string, now: string): Promise<CaseworkerSession | null> {
    const row = await this.q(
      `SELECT s.csrf, s.expires_at, c.id, c.username, c.password_hash, c.role, c.lang
       FROM sessions s JOIN caseworkers c ON c.id = s.caseworker_id WHERE s.token_hash = ? AND s.expires_at > ?`,
      tokenHash,
      now,
    ).first<{ csrf: string; expires_at: string; id: number; username: string; password_hash: string; role: CaseworkerAccount["role"]; lang: CaseworkerAccount["lang"] }>();
    if (!row) return null;
    return { caseworker: { id: row.id, username: row.username, passwordHash: row.password_hash, role: row.role, lang: row.lang }, csrf: row.csrf, expiresAt: row.expires_at };
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.q("DELETE FROM sessions WHERE token_hash = ?", tokenHash).run();
  }

  async reserveSigninAttempt(keys: readonly { key: string; max: number }[], at: string, since: string): Promise<number[] | null> {
    for (const { key, max } of keys) {
      const row = await this.q("SELECT COUNT(*) AS n FROM signin_failures WHERE key = ? AND at >= ?", key, since).first<{ n: number }>();
      if ((row?.n ?? 0) >= max) return null;
    }
    const results = await this.db.batch(keys.map(({ key }) => this.q("INSERT INTO signin_failures (key, at) VALUES (?, ?)", key, at)));
    return results.map((r) => r.meta.last_row_id);
  }

  async releaseSigninAttempt(ids: readonly number[]): Promise<void> {
    if (ids.length > 0) await this.db.batch(ids.map((id) => this.q("DELETE FROM signin_failures WHERE id = ?", id)));
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

  async caseCounts(): Promise<ReturnType<typeof caseCounts>> {
    const [byStatus, actions] = await this.db.batch<{ k: string; n: number }>([this.q(CASES_BY_STATUS), this.q(CASE_ACTIONS)]);
    return caseCounts(byStatus!.results, actions!.results);
  }

  async keysInUse(): Promise<Record<string, number>> {
    const columns = await this.db.batch<{ k: string; n: number }>(SEALED_COLUMNS.map(({ table, column }) => this.q(keysInUseQuery(table, column))));
    return columns.reduce((total, { results }) => addKeyCounts(total, results), {} as Record<string, number>);
  }

  async ping(): Promise<boolean> {
    return (await this.q("SELECT 1 AS ok").first<{ ok: number }>())?.ok === 1;
  }

  async close(): Promise<void> {
    // A D1 binding has nothing to close.
  }
}

D1Store satisfies new (db: D1Like, sealer: Sealer) => Store;
