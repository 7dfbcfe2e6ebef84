import type { Channel, ConversationState } from "../../core/ports.js";
import type { CaseRecord, CaseRequest, CaseworkerReply, TranscriptLine } from "../../core/store/cases.js";
import type { NewOutboxItem } from "../../core/store/outbox.js";
import { openOr, UNREADABLE, UNREADABLE_TRANSCRIPT } from "../sealing.js";
import { CASE_ACTIONS, CASE_FORGOTTEN, caseCounts, CASES_BY_STATUS, caseRecord, MAX_REANNOUNCEMENTS, MAX_TRANSCRIPT, TRANSCRIPT_LINES, type CaseRow } from "../rows.js";
import type { D1Statement } from "./connection.js";
import { D1Outbox } from "./outbox.js";

/** Cases handed to caseworkers: opened or raised by a turn, their transcripts, notes, audit, claims and closes. */
export abstract class D1Cases extends D1Outbox {
  protected async openOrRaiseCase(userKey: string, channel: Channel, request: CaseRequest, addLine: boolean, current: TranscriptLine | null): Promise<D1Statement[]> {
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

  protected async transcriptWrite(caseId: number, stored: string, line: TranscriptLine): Promise<D1Statement> {
    const opened = await openOr(() => this.sealer.open("cases.transcript", stored), UNREADABLE_TRANSCRIPT);
    const transcript = [...(JSON.parse(opened) as TranscriptLine[]), line].slice(-MAX_TRANSCRIPT);
    return this.q("UPDATE cases SET transcript = ?, updated_at = ? WHERE id = ?", await this.sealer.seal("cases.transcript", JSON.stringify(transcript)), line.at, caseId);
  }

  protected async caseOf(row: CaseRow): Promise<CaseRecord> {
    return caseRecord({ ...row, transcript: await openOr(() => this.sealer.open("cases.transcript", row.transcript), UNREADABLE_TRANSCRIPT) });
  }

  protected async appendTranscript(userKey: string, line: TranscriptLine, caseId?: number): Promise<D1Statement[]> {
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

  protected audit(caseId: number, actor: string, action: string, at: string): D1Statement {
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

  async caseCounts(): Promise<ReturnType<typeof caseCounts>> {
    const [byStatus, actions] = await this.db.batch<{ k: string; n: number }>([this.q(CASES_BY_STATUS), this.q(CASE_ACTIONS)]);
    return caseCounts(byStatus!.results, actions!.results);
  }
}
