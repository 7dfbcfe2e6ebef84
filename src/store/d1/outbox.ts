import type { Channel } from "../../core/ports.js";
import type { Contact, NewOutboxItem, OutboxItem, OutboxStatus, SendOutcome } from "../../core/store/outbox.js";
import { CASE_FORGOTTEN, IN_TRANSIT, headOfQueue, RELEASE_HELD, outboxItem, outcomeUpdate, SCRUBBED, type OutboxRow } from "../rows.js";
import { D1Accounts } from "./accounts.js";
import type { D1Statement } from "./connection.js";

/**
 * The outbox: replies queued with their turn, claimed with a lease by the sender, and what became of each; the
 * contacts that say where a person can be reached.
 */
export abstract class D1Outbox extends D1Accounts {
  protected async itemOf(row: OutboxRow): Promise<OutboxItem> {
    return outboxItem({ ...row, payload: await this.sealer.open("outbox.payload", row.payload) });
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
  protected insertOutbox(items: readonly NewOutboxItem[], now: string, unlessForgotten?: number): Promise<D1Statement[]> {
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
}
