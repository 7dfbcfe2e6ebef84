import type { Channel, OutboxItem, SendOutcome, Store } from "../core/ports.js";
import type { Logger } from "../log.js";

/**
 * Delivers the outbox. Webhooks only write replies to the store; this sends them, with retries and backoff,
 * one at a time per person (in order) and many people in parallel. Runtime-agnostic (fetch and timers only).
 *
 * Guarantees: an item is claimed with a lease before it is sent, so two senders never send it at once; after a
 * crash, items whose lease expired are sent again. The only way a reply goes out twice is a crash between the
 * provider accepting it and the store recording it.
 */
export interface Transport {
  send(item: OutboxItem): Promise<SendOutcome>;
}

/** A transport's failure that is worth retrying (network, timeout, 5xx, 429). */
export class RetryableError extends Error {
  constructor(
    message: string,
    /** Seconds the provider asked us to wait (Telegram's retry_after, Twilio's Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "RetryableError";
  }
}

export interface SenderOptions {
  /** Sends in flight at once (different people). */
  concurrency?: number;
  /** How long a claimed item is ours before another sender may take it. */
  leaseMs?: number;
  /** Sweep interval for retries that became due. */
  pollMs?: number;
  /** After this many attempts an item is marked failed (and logged): about a day with the backoff below. */
  maxAttempts?: number;
  /** First retry delay; doubles with each attempt up to 30 minutes, with ±25% jitter. */
  baseBackoffMs?: number;
  now?: () => Date;
}

const MAX_BACKOFF_MS = 30 * 60_000;

export function backoffMs(attempts: number, baseMs = 2_000, random = Math.random): number {
  const exponential = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exponential * (0.75 + random() * 0.5));
}

export class OutboxSender {
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly maxAttempts: number;
  private readonly baseBackoffMs: number;
  private readonly now: () => Date;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private draining: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(
    private readonly store: Store,
    private readonly transports: Partial<Record<Channel, Transport>>,
    private readonly logger: Logger,
    options: SenderOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 16;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollMs = options.pollMs ?? 1_000;
    this.maxAttempts = options.maxAttempts ?? 20;
    this.baseBackoffMs = options.baseBackoffMs ?? 2_000;
    this.now = options.now ?? (() => new Date());
  }

  /** Starts the background loop; anything left from before a restart goes out first. */
  start(): void {
    this.stopped = false;
    this.kick();
  }

  /** Something was queued: send it now rather than at the next sweep. */
  kick(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drain()
      .catch((error: unknown) => this.logger.error("outbox.drain_failed", { error: (error as Error).name }))
      .finally(() => {
        this.draining = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        } else this.schedule();
      });
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.kick(), this.pollMs);
    (this.timer as { unref?: () => void }).unref?.();
  }

  /** Sends everything due now; resolves when nothing due is left. */
  async drain(): Promise<void> {
    for (;;) {
      const now = this.now();
      const batch = await this.store.claimDue(now.toISOString(), new Date(now.getTime() + this.leaseMs).toISOString(), this.concurrency * 4);
      if (batch.length === 0) return;
      await this.sendAll(batch);
    }
  }

  /** Sends a claimed batch, `concurrency` at a time, and records all outcomes in one transaction. */
  private async sendAll(batch: OutboxItem[]): Promise<void> {
    const results: { id: number; outcome: SendOutcome }[] = [];
    let next = 0;
    const worker = async () => {
      while (next < batch.length) {
        const item = batch[next++]!;
        results.push({ id: item.id, outcome: await this.sendOne(item) });
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, batch.length) }, worker));
    await this.store.completeMany(results, this.now().toISOString());
  }

  private async sendOne(item: OutboxItem): Promise<SendOutcome> {
    const transport = this.transports[item.channel];
    let outcome: SendOutcome;
    if (!transport) {
      outcome = { status: "retry", at: this.later(60_000), error: "channel_disabled" };
    } else {
      try {
        outcome = await transport.send(item);
      } catch (error) {
        const retryAfter = error instanceof RetryableError ? error.retryAfterSeconds : undefined;
        const wait = retryAfter !== undefined ? retryAfter * 1000 : backoffMs(item.attempts, this.baseBackoffMs);
        outcome = { status: "retry", at: this.later(wait), error: (error as Error).message.slice(0, 200) };
      }
    }
    if (outcome.status === "retry" && item.attempts >= this.maxAttempts) {
      outcome = { status: "failed", error: `gave up after ${item.attempts} attempts: ${outcome.error}` };
    }
    const fields = { id: item.id, channel: item.channel, attempts: item.attempts };
    if (outcome.status === "sent") this.logger.debug("outbox.sent", fields);
    else if (outcome.status === "retry") this.logger.warn("outbox.retry", { ...fields, error: outcome.error, at: outcome.at });
    else if (outcome.status === "held") this.logger.warn("outbox.held", { ...fields, reason: outcome.reason });
    else this.logger.error("outbox.failed", { ...fields, error: outcome.error });
    return outcome;
  }

  private later(ms: number): string {
    return new Date(this.now().getTime() + ms).toISOString();
  }

  /** Stops the loop; waits for sends in flight, and keeps flushing what is due until `flushMs` runs out. */
  async stop(flushMs = 0): Promise<void> {
    const deadline = Date.now() + flushMs;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.draining) await this.draining;
    this.stopped = true;
    while (Date.now() < deadline) {
      const due = await this.store.nextDue();
      if (!due || Date.parse(due) > this.now().getTime()) break;
      await this.drain();
    }
  }
}
