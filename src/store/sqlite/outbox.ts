import type { Channel } from "../../core/ports.js";
import type { Contact, NewOutboxItem, OutboxItem, OutboxStatus, SendOutcome } from "../../core/store/outbox.js";
import { IN_TRANSIT, headOfQueue, RELEASE_HELD, outboxItem, outcomeUpdate, SCRUBBED, type OutboxRow } from "../rows.js";
import { SqliteAccounts } from "./accounts.js";

/**
 * The outbox: replies queued with their turn, claimed with a lease by the sender, and what became of each; the
 * contacts that say where a person can be reached.
 */
export abstract class SqliteOutbox extends SqliteAccounts {
  protected itemOf(row: OutboxRow): OutboxItem {
    return outboxItem({ ...row, payload: this.sealer.open("outbox.payload", row.payload) });
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

  protected insertOutbox(items: readonly NewOutboxItem[], now: string): number[] {
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
    // thread claims while the main thread commits the webhooks' turns: the shorter each holds the lock, the less
    // the other's acknowledgements or replies wait for it.
    const found = this.dueHeads(now, limit, channels);
    if (found.length === 0) return [];
    // In a group commit (IMMEDIATE, and it waits for the lock without sleeping the thread), each row claimed only
    // if it is still as it was read and still the head of its person's queue (another sender may have claimed
    // it, or an older reply been released from hold, in between). Outcomes recorded meanwhile share the commit.
    const claimed = await this.group.write(() => {
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
  protected dueHeads(now: string, limit: number, channels?: readonly Channel[]): OutboxRow[] {
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
}
