import Database from "better-sqlite3";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Channel, ConversationState } from "../../core/ports.js";
import type { CaseRecord, CaseRequest, CaseworkerAccount, CaseworkerReply, CaseworkerSession, TranscriptLine } from "../../core/store/cases.js";
import type { Contact, NewOutboxItem, OutboxItem, OutboxStatus, SendOutcome } from "../../core/store/outbox.js";
import type { UnansweredQuestion } from "../../core/store/questions.js";
import type { RetentionCutoffs, Store } from "../../core/store/store.js";
import type { StoredEvent, TurnRecord } from "../../core/store/turn.js";
import type { InsightCounts, InsightsFilter } from "../../core/insights/model.js";
import { addedQuestions, insightCountsFrom, insightQueries, questionStatements, unansweredQuery, unansweredQuestion, type UnansweredFilter, type UnansweredRow } from "../insights-sql.js";
import { addKeyCounts, keysInUseQuery, notSealedWith, openOr, SEALED_COLUMNS, UNREADABLE, UNREADABLE_TRANSCRIPT, type SealedColumn, type SyncSealer } from "../sealing.js";
import { GroupCommit } from "./group-commit.js";
import {
  CASE_ACTIONS, CASE_FORGOTTEN, caseCounts, CASES_BY_STATUS, caseRecord, COUNT_INBOUND, IN_TRANSIT, MAX_REANNOUNCEMENTS, MAX_TRANSCRIPT, forgetStatements, forgottenItems, headOfQueue, RELEASE_HELD, outboxItem, outcomeUpdate, purgeStatements, SCRUBBED, TRANSCRIPT_LINES, type CaseRow, type EventRow, type OutboxRow,
} from "../rows.js";

/**
 * The embedded default store: one SQLite file (WAL mode) under DATA_DIR. better-sqlite3 is synchronous and
 * fast; the async Store interface is kept so the same engine runs against D1 on Workers.
 */
const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "migrations");
/**
 * WAL pages past which checkpoint() makes sure the WAL starts again (4,000 pages, about 16 MB). Without it, a
 * 45-second `npm run bench:webhook` left a 117 MB WAL; with it, 30 MB.
 */
const RESTART_PAGES = 4_000;

export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  /** The writes of the hot path (a conversation turn, a send's outcome), committed in groups. */
  private readonly group: GroupCommit;

  /** `path` is a file path, or ":memory:" for tests; `sealer` encrypts what identifies a person (sealing.ts). */
  constructor(
    path: string,
    private readonly sealer: SyncSealer,
  ) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma("journal_mode = WAL");
    // NORMAL is durable across process crashes in WAL mode (only an OS crash can lose the last transaction).
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma("busy_timeout = 5000");
    this.db.pragma("foreign_keys = ON");
    // Each write of a group commit is a savepoint, and a savepoint keeps the pages it changes, as they were, in a
    // statement journal: past 64 KB, a temporary file, created, written page by page and deleted for every group.
    // In memory it is a copy: a group of conversation turns commits about 30% faster, with half the system time.
    this.db.pragma("temp_store = MEMORY");
    this.migrate();
    this.group = new GroupCommit(this.db);
  }

  /**
   * Whether this connection copies the WAL back into the database file (a checkpoint, with two fsyncs) when the
   * WAL has grown past 1000 pages: SQLite does it at the end of the commit that crossed the mark, on the thread
   * that committed. The service hands it to the sender thread's connection while that thread runs, so that
   * commits acknowledging webhooks do not wait for the disk; any connection's checkpoint serves every one.
   */
  checkpointsHere(here: boolean): void {
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${here ? 1000 : 0}`);
  }

  /**
   * Copies what it can of the WAL into the database file now, without waiting for readers or writers. A WAL
   * starts again from its beginning only when a writer finds it all copied and no one reading it: under steady
   * writes from another connection that moment never comes, and the WAL would grow for as long as the load
   * lasts (slower reads, a bigger file). Past RESTART_PAGES the checkpoint also waits for that moment (a few
   * milliseconds during which the other writer waits too), so that the next commit starts the WAL again.
   */
  checkpoint(): void {
    if (!this.db.open) return;
    const [result] = this.db.pragma("wal_checkpoint(PASSIVE)") as { log: number; checkpointed: number }[];
    if (result && result.log >= RESTART_PAGES) this.db.pragma("wal_checkpoint(RESTART)");
  }

  private immediate<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  /** Prepared statements are compiled once and reused: preparing costs more than running. */
  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private migrate(): void {
    this.db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)");
    const applied = new Set(
      this.stmt("SELECT version FROM schema_migrations").all().map((r) => (r as { version: string }).version),
    );
    for (const file of readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith(".sql")).sort()) {
      if (applied.has(file)) continue;
      const sql = readFileSync(join(MIGRATIONS_DIR, file), "utf8");
      this.db.transaction(() => {
        this.db.exec(sql);
        this.stmt("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)").run(file, new Date().toISOString());
      })();
    }
  }

  async getState(userKey: string): Promise<ConversationState | null> {
    const row = this.stmt("SELECT state FROM users WHERE user_key = ?").get(userKey) as { state: string } | undefined;
    return row ? (JSON.parse(row.state) as ConversationState) : null;
  }

  async saveState(userKey: string, channel: Channel, state: ConversationState): Promise<void> {
    this.writeState(userKey, channel, state);
  }

  private writeState(userKey: string, channel: Channel, state: ConversationState): void {
    const now = new Date().toISOString();
    this.stmt(
        `INSERT INTO users (user_key, channel, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (user_key) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
      )
      .run(userKey, channel, JSON.stringify(state), now, now);
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

  /** The person's open case is raised (priority, category, transcript); without one, a case opens. */
  private openOrRaiseCase(userKey: string, channel: Channel, request: CaseRequest, addLine: boolean): void {
    const recent = (
      this.stmt("SELECT text, received_at AS at FROM inbound WHERE user_key = ? ORDER BY id DESC LIMIT ?").all(userKey, TRANSCRIPT_LINES) as {
        text: string;
        at: string;
      }[]
    )
      .reverse()
      .map((line) => ({ at: line.at, text: openOr(() => this.sealer.open("inbound.text", line.text), UNREADABLE) }));
    const transcript = recent.length > 0 ? recent : [{ at: request.at, text: request.text }];
    const open = this.stmt("SELECT id, priority FROM cases WHERE user_key = ? AND status != 'closed' ORDER BY id DESC LIMIT 1").get(userKey) as
      | { id: number; priority: number }
      | undefined;
    if (open) {
      const raise = request.priority < open.priority;
      this.stmt(
        `UPDATE cases SET updated_at = ?, priority = CASE WHEN ? THEN ? ELSE priority END,
           category = CASE WHEN ? THEN ? ELSE category END WHERE id = ?`,
      ).run(request.at, raise ? 1 : 0, request.priority, raise ? 1 : 0, request.category, open.id);
      if (addLine) this.appendTranscript(userKey, { at: request.at, text: request.text }, open.id);
      return;
    }
    const opened = this.stmt(
      `INSERT INTO cases (user_key, channel, lang, country, category, priority, status, transcript, opened_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)`,
    ).run(userKey, channel, request.lang, request.country, request.category, request.priority, this.sealTranscript(transcript), request.at, request.at);
    this.audit(Number(opened.lastInsertRowid), "system", "opened", request.at);
  }

  /** Adds a line to the person's latest case that is not closed. */
  private appendTranscript(userKey: string, line: TranscriptLine, caseId?: number): void {
    const row = (
      caseId !== undefined
        ? this.stmt("SELECT id, transcript FROM cases WHERE id = ?").get(caseId)
        : this.stmt("SELECT id, transcript FROM cases WHERE user_key = ? AND status != 'closed' ORDER BY id DESC LIMIT 1").get(userKey)
    ) as { id: number; transcript: string } | undefined;
    if (!row) return;
    const stored = openOr(() => this.sealer.open("cases.transcript", row.transcript), UNREADABLE_TRANSCRIPT);
    const transcript = [...(JSON.parse(stored) as TranscriptLine[]), line].slice(-MAX_TRANSCRIPT);
    this.stmt("UPDATE cases SET transcript = ?, updated_at = ? WHERE id = ?").run(this.sealTranscript(transcript), line.at, row.id);
  }

  private sealTranscript(lines: readonly TranscriptLine[]): string {
    return this.sealer.seal("cases.transcript", JSON.stringify(lines));
  }

  private caseOf(row: CaseRow): CaseRecord {
    return caseRecord({ ...row, transcript: openOr(() => this.sealer.open("cases.transcript", row.transcript), UNREADABLE_TRANSCRIPT) });
  }

  private itemOf(row: OutboxRow): OutboxItem {
    return outboxItem({ ...row, payload: this.sealer.open("outbox.payload", row.payload) });
  }

  async getCase(query: { id?: number; threadId?: number; userKey?: string }): Promise<CaseRecord | null> {
    const row = (
      query.id !== undefined
        ? this.stmt("SELECT * FROM cases WHERE id = ?").get(query.id)
        : query.threadId !== undefined
          ? this.stmt("SELECT * FROM cases WHERE thread_id = ? ORDER BY id DESC LIMIT 1").get(query.threadId)
          : this.stmt("SELECT * FROM cases WHERE user_key = ? ORDER BY status = 'closed', id DESC LIMIT 1").get(query.userKey ?? "")
    ) as CaseRow | undefined;
    return row ? this.caseOf(row) : null;
  }

  async setCaseThread(caseId: number, threadId: number): Promise<void> {
    this.stmt("UPDATE cases SET thread_id = ? WHERE id = ?").run(threadId, caseId);
  }

  private audit(caseId: number, actor: string, action: string, at: string): void {
    this.stmt("INSERT INTO case_audit (case_id, actor, action, at) VALUES (?, ?, ?, ?)").run(caseId, actor, action, at);
  }

  async addCaseAudit(caseId: number, actor: string, action: string, at: string): Promise<void> {
    this.audit(caseId, actor, action, at);
  }

  async addCaseNote(caseId: number, author: string, text: string, at: string): Promise<void> {
    this.immediate(() => {
      this.stmt("INSERT INTO case_notes (case_id, author, text, at) VALUES (?, ?, ?, ?)").run(caseId, author, this.sealer.seal("case_notes.text", text), at);
      this.audit(caseId, author, "noted", at);
    });
  }

  async listCaseNotes(caseId: number): Promise<{ author: string; text: string; at: string }[]> {
    const notes = this.stmt("SELECT author, text, at FROM case_notes WHERE case_id = ? ORDER BY id").all(caseId) as { author: string; text: string; at: string }[];
    return notes.map((n) => ({ ...n, text: this.sealer.open("case_notes.text", n.text) }));
  }

  async listCaseworkers(): Promise<Omit<CaseworkerAccount, "passwordHash">[]> {
    return this.stmt("SELECT id, username, role, lang FROM caseworkers ORDER BY username").all() as Omit<CaseworkerAccount, "passwordHash">[];
  }

  async caseAudit(caseId: number): Promise<{ actor: string; action: string; at: string }[]> {
    return this.stmt("SELECT actor, action, at FROM case_audit WHERE case_id = ? ORDER BY id").all(caseId) as { actor: string; action: string; at: string }[];
  }

  async reannounce(now: string, minutes: number, notice: (c: CaseRecord) => NewOutboxItem): Promise<number> {
    const before = new Date(Date.parse(now) - minutes * 60_000).toISOString();
    return this.immediate(() => {
      const rows = this.stmt(
        `SELECT * FROM cases c WHERE status = 'open' AND priority = 1 AND COALESCE(announced_at, opened_at) <= ?
           AND (SELECT COUNT(*) FROM case_audit a WHERE a.case_id = c.id AND a.action = 'reannounced') < ?
         ORDER BY opened_at`,
      ).all(before, MAX_REANNOUNCEMENTS) as CaseRow[];
      for (const row of rows) {
        // Due at once, whatever clock `now` was judged by.
        this.insertOutbox([notice(this.caseOf(row))], new Date().toISOString());
        this.stmt("UPDATE cases SET announced_at = ? WHERE id = ?").run(now, row.id);
        this.audit(row.id, "system", "reannounced", now);
      }
      return rows.length;
    });
  }

  async caseworkerReply(reply: CaseworkerReply): Promise<"committed" | "duplicate" | "unreachable"> {
    return this.immediate(() => {
      if (this.stmt(CASE_FORGOTTEN).get(reply.caseId)) return "unreachable";
      const inserted = this.stmt("INSERT OR IGNORE INTO inbound (channel, external_id, user_key, text, received_at) VALUES ('caseworker', ?, '', '', ?)").run(
        reply.externalId,
        reply.at,
      ).changes;
      if (inserted === 0) return "duplicate";
      this.appendTranscript("", { at: reply.at, text: reply.text, from: "caseworker" }, reply.caseId);
      this.audit(reply.caseId, reply.actor, "replied", reply.at);
      this.insertOutbox(reply.outbox, reply.at);
      return "committed";
    });
  }

  async updateCase(
    caseId: number,
    change: { claimedBy: string; force?: boolean } | { closedBy: string },
    at: string,
    outbox: readonly NewOutboxItem[],
  ): Promise<CaseRecord | null> {
    return this.immediate(() => {
      const row = this.stmt("SELECT * FROM cases WHERE id = ?").get(caseId) as CaseRow | undefined;
      if (!row || row.status === "closed") return null;
      if ("claimedBy" in change) {
        // Nobody takes a case from someone else by accident (two claims at once: the first wins); a supervisor
        // assigning (force) may.
        const mayClaim = change.force || row.status === "open" || row.claimed_by === change.claimedBy;
        if (!mayClaim) return null;
        this.stmt("UPDATE cases SET status = 'claimed', claimed_by = ?, updated_at = ? WHERE id = ?").run(change.claimedBy, at, caseId);
        this.audit(caseId, change.claimedBy, "claimed", at);
      } else {
        this.stmt("UPDATE cases SET status = 'closed', closed_at = ?, updated_at = ? WHERE id = ?").run(at, at, caseId);
        this.audit(caseId, change.closedBy, "closed", at);
        // The person is back with the bot, which asks how useful the help was.
        const user = this.stmt("SELECT channel, state FROM users WHERE user_key = ?").get(row.user_key) as { channel: Channel; state: string } | undefined;
        if (user) {
          const state = JSON.parse(user.state) as ConversationState;
          this.writeState(row.user_key, user.channel, { ...state, withCaseworker: false, handoffSince: undefined, awaiting: "rating", options: undefined });
        }
      }
      this.insertOutbox(outbox, at);
      return this.caseOf(this.stmt("SELECT * FROM cases WHERE id = ?").get(caseId) as CaseRow);
    });
  }

  async listCases(filter: { status?: CaseRecord["status"]; userKey?: string } = {}): Promise<CaseRecord[]> {
    const rows = this.stmt(
      `SELECT * FROM cases WHERE (@status IS NULL OR status = @status) AND (@userKey IS NULL OR user_key = @userKey)
       ORDER BY priority, opened_at, id`,
    ).all({ status: filter.status ?? null, userKey: filter.userKey ?? null }) as CaseRow[];
    return rows.map((row) => this.caseOf(row));
  }

  async getContact(userKey: string, channel: Channel): Promise<Contact | null> {
    const row = this.stmt("SELECT address, last_inbound_at FROM contacts WHERE user_key = ? AND channel = ?").get(userKey, channel) as
      | { address: string; last_inbound_at: string }
      | undefined;
    return row ? { address: this.sealer.open("contacts.address", row.address), lastInboundAt: row.last_inbound_at } : null;
  }

  async enqueue(items: readonly NewOutboxItem[]): Promise<number[]> {
    return this.db.transaction(() => this.insertOutbox(items, new Date().toISOString()))();
  }

  private insertOutbox(items: readonly NewOutboxItem[], now: string): number[] {
    const insert = this.stmt(
      "INSERT INTO outbox (channel, user_key, payload, status, next_attempt_at, created_at) VALUES (?, ?, ?, 'pending', ?, ?)",
    );
    return items.map((item) =>
      Number(insert.run(item.channel, item.userKey, this.sealer.seal("outbox.payload", JSON.stringify(item.payload)), item.notBefore ?? now, now).lastInsertRowid),
    );
  }

  async claimDue(now: string, leaseUntil: string, limit: number, channels?: readonly Channel[]): Promise<OutboxItem[]> {
    // The due items are looked for outside the write lock (WAL: a read waits for no one), and only claimed under
    // it: a claim is then a few updates by id, and a look that finds nothing takes no lock at all. The sender
    // thread claims while the main thread commits the webhooks' turns, and a commit that meets a held lock
    // sleeps (SQLite's busy handler: 1 ms at least) with the acknowledgements of its whole group.
    const found = this.dueHeads(now, limit, channels);
    if (found.length === 0) return [];
    // IMMEDIATE, and each row claimed only if it is still as it was read and still the head of its person's queue
    // (another sender may have claimed it, or an older reply been released from hold, in between).
    const claimed = this.immediate(() => {
      const claim = this.stmt(
        `UPDATE outbox SET status = 'sending', attempts = attempts + 1, next_attempt_at = ?
         WHERE id = ? AND status = ? AND attempts = ? AND next_attempt_at = ?
           AND ${headOfQueue("outbox")}`,
      );
      return found.filter((row) => claim.run(leaseUntil, row.id, row.status, row.attempts, row.next_attempt_at).changes === 1);
    });
    return claimed.map((r) => this.itemOf({ ...r, status: "sending", attempts: r.attempts + 1 }));
  }

  /**
   * Due items in time order (an index range scan that stops at the limit), keeping only the head of each
   * person's queue: no older item of theirs still pending or being sent. Items whose sending lease expired (a
   * crash mid-send) are found the same way.
   */
  private dueHeads(now: string, limit: number, channels?: readonly Channel[]): OutboxRow[] {
    const select = (status: "pending" | "sending") =>
      this.stmt(
        `SELECT o.* FROM outbox o
         WHERE o.status = '${status}' AND o.next_attempt_at <= ?
           AND (? IS NULL OR instr(?, ',' || o.channel || ',') > 0)
           AND ${headOfQueue("o")}
         ORDER BY o.next_attempt_at, o.id
         LIMIT ?`,
      ).all(now, channels ? 1 : null, channels ? `,${channels.join(",")},` : null, limit) as OutboxRow[];
    return [...select("sending"), ...select("pending")]
      .sort((a, b) => (a.next_attempt_at < b.next_attempt_at ? -1 : a.next_attempt_at > b.next_attempt_at ? 1 : a.id - b.id))
      .slice(0, limit);
  }

  async completeOutbox(id: number, outcome: SendOutcome, at: string, attempt?: number): Promise<void> {
    const { sql, params } = outcomeUpdate(outcome, at);
    await this.group.write(() => this.stmt(sql).run(...params, id, attempt ?? null, attempt ?? null));
  }

  async recordDelivery(providerId: string, status: string, errorCode: string | null, hold = false): Promise<boolean> {
    const final = !hold && !IN_TRANSIT.has(status);
    const changes = this.stmt(
      `UPDATE outbox SET delivery = ?, last_error = COALESCE(?, last_error),
         status = CASE WHEN ? THEN 'held' ELSE status END,
         payload = CASE WHEN ? THEN '${SCRUBBED}' ELSE payload END
       WHERE provider_id = ?`,
    ).run(status, errorCode, hold ? 1 : 0, final ? 1 : 0, providerId).changes;
    return changes > 0;
  }

  async releaseHeld(userKey: string, channel: Channel, at: string): Promise<number> {
    return this.stmt(RELEASE_HELD).run(at, userKey, channel).changes;
  }

  async getOutbox(filter: { userKey?: string; status?: OutboxStatus } = {}): Promise<OutboxItem[]> {
    const rows = this.stmt("SELECT * FROM outbox WHERE (@userKey IS NULL OR user_key = @userKey) AND (@status IS NULL OR status = @status) ORDER BY id")
      .all({ userKey: filter.userKey ?? null, status: filter.status ?? null }) as OutboxRow[];
    return rows.map((row) => this.itemOf(row));
  }

  async outboxCounts(): Promise<Record<OutboxStatus, number>> {
    const counts: Record<OutboxStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0, held: 0 };
    for (const row of this.stmt("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status").all() as { status: OutboxStatus; n: number }[]) {
      counts[row.status] = row.n;
    }
    return counts;
  }

  async nextDue(): Promise<string | null> {
    const row = this.stmt("SELECT MIN(next_attempt_at) AS at FROM outbox WHERE status IN ('pending', 'sending')").get() as { at: string | null };
    return row.at;
  }

  async addCaseworker(account: Omit<CaseworkerAccount, "id">, at: string): Promise<number> {
    return Number(
      this.stmt("INSERT INTO caseworkers (username, password_hash, role, lang, created_at) VALUES (?, ?, ?, ?, ?)").run(
        account.username,
        account.passwordHash,
        account.role,
        account.lang,
        at,
      ).lastInsertRowid,
    );
  }

  async findCaseworker(username: string): Promise<CaseworkerAccount | null> {
    const row = this.stmt("SELECT id, username, password_hash, role, lang FROM caseworkers WHERE username = ?").get(username) as
      | { id: number; username: string; password_hash: string; role: CaseworkerAccount["role"]; lang: CaseworkerAccount["lang"] }
      | undefined;
    return row ? { id: row.id, username: row.username, passwordHash: row.password_hash, role: row.role, lang: row.lang } : null;
  }

  async createSession(tokenHash: string, caseworkerId: number, csrf: string, at: string, expiresAt: string): Promise<void> {
    this.stmt("INSERT INTO sessions (token_hash, caseworker_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)").run(tokenHash, caseworkerId, csrf, at, expiresAt);
  }

  async getSession(tokenHash: string, now: string): Promise<CaseworkerSession | null> {
    const row = this.stmt(
      `SELECT s.csrf, s.expires_at, c.id, c.username, c.password_hash, c.role, c.lang
       FROM sessions s JOIN caseworkers c ON c.id = s.caseworker_id WHERE s.token_hash = ? AND s.expires_at > ?`,
    ).get(tokenHash, now) as
      | { csrf: string; expires_at: string; id: number; username: string; password_hash: string; role: CaseworkerAccount["role"]; lang: CaseworkerAccount["lang"] }
      | undefined;
    if (!row) return null;
    return {
      caseworker: { id: row.id, username: row.username, passwordHash: row.password_hash, role: row.role, lang: row.lang },
      csrf: row.csrf,
      expiresAt: row.expires_at,
    };
  }

  async deleteSession(tokenHash: string): Promise<void> {
    this.stmt("DELETE FROM sessions WHERE token_hash = ?").run(tokenHash);
  }

  async reserveSigninAttempt(keys: readonly { key: string; max: number }[], at: string, since: string): Promise<number[] | null> {
    return this.immediate(() => {
      for (const { key, max } of keys) {
        const n = (this.stmt("SELECT COUNT(*) AS n FROM signin_failures WHERE key = ? AND at >= ?").get(key, since) as { n: number }).n;
        if (n >= max) return null;
      }
      return keys.map(({ key }) => Number(this.stmt("INSERT INTO signin_failures (key, at) VALUES (?, ?)").run(key, at).lastInsertRowid));
    });
  }

  async releaseSigninAttempt(ids: readonly number[]): Promise<void> {
    this.db.transaction(() => {
      for (const id of ids) this.stmt("DELETE FROM signin_failures WHERE id = ?").run(id);
    })();
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

  async caseCounts(): Promise<ReturnType<typeof caseCounts>> {
    return caseCounts(this.stmt(CASES_BY_STATUS).all() as { k: string; n: number }[], this.stmt(CASE_ACTIONS).all() as { k: string; n: number }[]);
  }

  async keysInUse(): Promise<Record<string, number>> {
    const total: Record<string, number> = {};
    for (const { table, column } of SEALED_COLUMNS) addKeyCounts(total, this.stmt(keysInUseQuery(table, column)).all() as { k: string; n: number }[]);
    return total;
  }

  async ping(): Promise<boolean> {
    return (this.stmt("SELECT 1 AS ok").get() as { ok: number }).ok === 1;
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    this.group.flush();
    this.db.close();
  }
}

// The compiler checks the adapter against the port, as STYLE.md asks.
SqliteStore satisfies new (path: string, sealer: SyncSealer) => Store;
