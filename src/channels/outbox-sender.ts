import type { Channel } from "../core/ports.js";
import type { OutboxItem, SendOutcome } from "../core/store/outbox.js";
import type { Store } from "../core/store/store.js";
import type { Logger } from "../log.js";
import { SendPacing, type SendRate } from "./send-pacing.js";

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
    /** The provider said "too many requests" (429): the whole channel waits, not only this reply. */
    readonly throttled = false,
  ) {
    super(message);
    this.name = "RetryableError";
  }
}

export interface SenderOptions {
  /** Sends in flight at once (different people). */
  concurrency?: number;
  /**
   * How long a claimed item is ours before another sender may take it. Each item is claimed right before its
   * own send, so this only has to outlast one send (transports time out after 10 s; Telegram may retry once).
   */
  leaseMs?: number;
  /** Sweep interval for retries that became due. */
  pollMs?: number;
  /** After this many attempts an item is marked failed (and logged): about a day with the backoff below. */
  maxAttempts?: number;
  /** First retry delay; doubles with each attempt up to 30 minutes, with ±25% jitter. */
  baseBackoffMs?: number;
  /** Told of every attempt's outcome (metrics). */
  onOutcome?: (item: OutboxItem, outcome: SendOutcome) => void;
  /**
   * Most sends per channel in a window (the providers' limits, e.g. 20 a minute in a Telegram group; unset: no
   * limit). A window's worth may go out at once, then sends are spaced evenly.
   */
  rates?: Partial<Record<Channel, SendRate>>;
  now?: () => Date;
}

const MAX_BACKOFF_MS = 30 * 60_000;
/** Sends in flight at once by default: also the most replies a crash can send twice (see the class comment). */
export const DEFAULT_CONCURRENCY = 16;

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
  private readonly onOutcome: SenderOptions["onOutcome"];
  private readonly pacing: SendPacing;
  /** A kick planned for when a rate-limited or paused channel may send again, and when (ms). */
  private resume: ReturnType<typeof setTimeout> | undefined;
  private resumeAt = Number.POSITIVE_INFINITY;
  private readonly channels: Channel[];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private dispatching: Promise<void> | undefined;
  /** Work was announced while dispatching: look again before going idle. */
  private wanted = false;
  private wake: (() => void) | undefined;
  private idleWaiters: (() => void)[] = [];
  private running = false;
  /** While stopping: nothing new is claimed after this time (ms since epoch). */
  private flushUntil = Number.POSITIVE_INFINITY;

  constructor(
    private readonly store: Store,
    private readonly transports: Partial<Record<Channel, Transport>>,
    private readonly logger: Logger,
    options: SenderOptions = {},
  ) {
    this.concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.pollMs = options.pollMs ?? 1_000;
    this.maxAttempts = options.maxAttempts ?? 20;
    this.baseBackoffMs = options.baseBackoffMs ?? 2_000;
    this.now = options.now ?? (() => new Date());
    this.onOutcome = options.onOutcome;
    this.pacing = new SendPacing(options.rates ?? {});
    // Items of a channel without a transport stay queued untouched (no attempts burnt) until it is configured.
    this.channels = (Object.keys(transports) as Channel[]).filter((c) => transports[c]);
  }

  /** Starts the background sweep; anything left from before a restart goes out first. */
  start(): void {
    this.running = true;
    this.flushUntil = Number.POSITIVE_INFINITY;
    this.sweep();
  }

  private sweep(): void {
    if (!this.running) return;
    this.kick();
    this.timer = setTimeout(() => this.sweep(), this.pollMs);
    (this.timer as { unref?: () => void }).unref?.();
  }

  /** Something was queued: start sending now rather than at the next sweep. */
  kick(): void {
    if (this.dispatching) {
      this.wanted = true;
      this.wake?.();
      return;
    }
    if (!this.canClaim()) return;
    this.dispatching = this.dispatch()
      .catch((error: unknown) => this.logger.error("outbox.dispatch_failed", { error: errorName(error), code: (error as { code?: string }).code ?? null }))
      .finally(() => {
        this.dispatching = undefined;
        const again = this.wanted && this.canClaim();
        this.wanted = false;
        // Work announced while stopping (nothing may be claimed any more) must not keep stop() waiting.
        if (again) this.kick();
        else for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
  }

  private canClaim(): boolean {
    return this.channels.length > 0 && Date.now() < this.flushUntil;
  }

  /**
   * Keeps up to `concurrency` sends in flight: claims as many items as there are free places (each claim starts
   * its item's lease just before its send), records each outcome the moment its send ends, and claims again as
   * places free up. A slow provider holds one place, not everyone's replies.
   */
  private async dispatch(): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    for (;;) {
      const free = this.concurrency - inFlight.size;
      let claimed: OutboxItem[] = [];
      // Claim in chunks (half the places at least) rather than one item per finished send: each claim is a
      // query over the queue.
      if ((free >= Math.ceil(this.concurrency / 2) || inFlight.size === 0) && this.canClaim()) {
        this.wanted = false;
        claimed = await this.claim(free);
      }
      for (const item of claimed) {
        const send: Promise<void> = this.sendAndRecord(item).finally(() => inFlight.delete(send));
        inFlight.add(send);
      }
      if (inFlight.size === 0) return;
      // Wait for a place to free up, or for new work to be announced.
      await Promise.race([...inFlight, new Promise<void>((resolve) => (this.wake = resolve))]);
      this.wake = undefined;
    }
  }

  /**
   * Claims up to `free` due items: from channels without a limit in one query, then from each rate-limited
   * channel as many as its bucket allows; none from a channel the provider throttled. When a channel had to be
   * skipped, a kick is planned for when it may send again.
   */
  private async claim(free: number): Promise<OutboxItem[]> {
    const now = this.now();
    const at = (n: Date) => n.toISOString();
    const lease = at(new Date(now.getTime() + this.leaseMs));
    const clock = Date.now();
    let wakeIn = Number.POSITIVE_INFINITY;
    const open = this.channels.filter((c) => {
      const paused = this.pacing.pausedFor(c, clock);
      if (paused > 0) wakeIn = Math.min(wakeIn, paused);
      return paused === 0;
    });
    // Channels whose bucket holds a whole claim's worth are claimed together, in one query, like unlimited ones
    // (the usual case). Those running short are claimed first, one by one, as far as their tokens go, so that a
    // slow channel (the caseworkers' group: 20 a minute) is not starved by a busy one.
    const ample = open.filter((c) => this.pacing.allowance(c, clock) >= free);
    const claimed: OutboxItem[] = [];
    for (const channel of open.filter((c) => !ample.includes(c))) {
      if (claimed.length >= free) break;
      const room = Math.min(free - claimed.length, Math.floor(this.pacing.allowance(channel, clock)));
      if (room < 1) {
        wakeIn = Math.min(wakeIn, this.pacing.msUntilOne(channel, clock));
        continue;
      }
      const items = await this.store.claimDue(at(now), lease, room, [channel]);
      this.pacing.spend(channel, items.length);
      claimed.push(...items);
    }
    if (ample.length > 0 && claimed.length < free) {
      const items = await this.store.claimDue(at(now), lease, free - claimed.length, ample);
      for (const item of items) this.pacing.spend(item.channel, 1);
      claimed.push(...items);
    }
    this.wakeIn(wakeIn);
    return claimed;
  }

  /** Plans a kick `ms` from now, unless one comes sooner; only while running (a drain or a flush just ends). */
  private wakeIn(ms: number): void {
    if (!this.running || ms === Number.POSITIVE_INFINITY || Date.now() + ms >= this.resumeAt) return;
    if (this.resume) clearTimeout(this.resume);
    this.resumeAt = Date.now() + ms;
    this.resume = setTimeout(() => {
      this.resume = undefined;
      this.resumeAt = Number.POSITIVE_INFINITY;
      this.kick();
    }, ms);
    (this.resume as { unref?: () => void }).unref?.();
  }

  private async sendAndRecord(item: OutboxItem): Promise<void> {
    const outcome = await this.sendOne(item);
    try {
      await this.store.completeOutbox(item.id, outcome, this.now().toISOString(), item.attempts);
    } catch (error) {
      // The lease will expire and the item will be tried again: at worst a duplicate, never a loss.
      this.logger.error("outbox.record_failed", { id: item.id, error: errorName(error) });
    }
  }

  /** Sends one item; never throws: every failure becomes an outcome. */
  private async sendOne(item: OutboxItem): Promise<SendOutcome> {
    let outcome: SendOutcome;
    try {
      outcome = await this.transports[item.channel]!.send(item);
    } catch (error) {
      const retryAfter = error instanceof RetryableError ? error.retryAfterSeconds : undefined;
      const wait = retryAfter !== undefined ? retryAfter * 1000 : backoffMs(item.attempts, this.baseBackoffMs);
      // "Too many requests" is about the channel, not this reply: everyone's replies on it wait as asked.
      if (error instanceof RetryableError && error.throttled) {
        this.pacing.pause(item.channel, Date.now() + wait);
        this.logger.warn("outbox.throttled", { channel: item.channel, seconds: Math.round(wait / 1000) });
      }
      outcome = { status: "retry", at: this.later(wait), error: errorText(error) };
    }
    if (outcome.status === "retry" && item.attempts >= this.maxAttempts) {
      outcome = { status: "failed", error: `gave up after ${item.attempts} attempts: ${outcome.error}` };
    }
    const fields = { id: item.id, channel: item.channel, attempts: item.attempts };
    if (outcome.status === "sent") this.logger.debug("outbox.sent", fields);
    else if (outcome.status === "retry") this.logger.warn("outbox.retry", { ...fields, error: outcome.error, at: outcome.at });
    else if (outcome.status === "held") this.logger.warn("outbox.held", { ...fields, reason: outcome.reason });
    else this.logger.error("outbox.failed", { ...fields, error: outcome.error });
    this.onOutcome?.(item, outcome);
    return outcome;
  }

  private later(ms: number): string {
    return new Date(this.now().getTime() + ms).toISOString();
  }

  /** Sends everything due now and resolves when nothing is in flight (tests, flushing). */
  async drain(): Promise<void> {
    this.kick();
    if (this.dispatching) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Stops: no more sweeps; what is due keeps going out for `flushMs` more, then the sends in hand finish and
   * nothing new is claimed.
   */
  async stop(flushMs = 0): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.resume) clearTimeout(this.resume);
    this.resume = undefined;
    this.resumeAt = Number.POSITIVE_INFINITY;
    this.flushUntil = Date.now() + flushMs;
    if (flushMs > 0) this.kick();
    if (this.dispatching) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/** A short error description for the store and logs; transports never put addresses or message text in it. */
function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 200);
}
