import type { Channel, ConversationState } from "../../core/ports.js";
import type { CaseRecord, CaseRequest, CaseworkerReply, TranscriptLine } from "../../core/store/cases.js";
import type { NewOutboxItem } from "../../core/store/outbox.js";
import { openOr, UNREADABLE, UNREADABLE_TRANSCRIPT } from "../sealing.js";
import { CASE_ACTIONS, CASE_FORGOTTEN, caseCounts, CASES_BY_STATUS, caseRecord, MAX_REANNOUNCEMENTS, MAX_TRANSCRIPT, TRANSCRIPT_LINES, type CaseRow } from "../rows.js";
import { SqliteOutbox } from "./outbox.js";

/** Cases handed to caseworkers: opened or raised by a turn, their transcripts, notes, audit, claims and closes. */
export abstract class SqliteCases extends SqliteOutbox {
  /** The person's open case is raised (priority, category, transcript); without one, a case opens. */
  protected openOrRaiseCase(userKey: string, channel: Channel, request: CaseRequest, addLine: boolean): void {
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
  protected appendTranscript(userKey: string, line: TranscriptLine, caseId?: number): void {
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

  protected sealTranscript(lines: readonly TranscriptLine[]): string {
    return this.sealer.seal("cases.transcript", JSON.stringify(lines));
  }

  protected caseOf(row: CaseRow): CaseRecord {
    return caseRecord({ ...row, transcript: openOr(() => this.sealer.open("cases.transcript", row.transcript), UNREADABLE_TRANSCRIPT) });
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

  protected audit(caseId: number, actor: string, action: string, at: string): void {
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

  async caseCounts(): Promise<ReturnType<typeof caseCounts>> {
    return caseCounts(this.stmt(CASES_BY_STATUS).all() as { k: string; n: number }[], this.stmt(CASE_ACTIONS).all() as { k: string; n: number }[]);
  }
}
