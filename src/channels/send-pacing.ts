import type { Channel } from "../core/ports.js";

/** At most `count` sends in any `seconds`. */
export interface SendRate {
  count: number;
  seconds: number;
}

/**
 * How fast each channel may send (clocks in ms since the epoch): the providers' limits as token buckets (a
 * window's worth may go out at once, then sends are spaced evenly), and the pauses a provider asked for (429).
 */
export class SendPacing {
  /** Token buckets of the rate-limited channels: sends allowed now, as of `at` (ms). */
  private readonly buckets = new Map<Channel, { tokens: number; at: number }>();
  /** Channels a provider throttled (429), until when (ms). */
  private readonly pausedUntil = new Map<Channel, number>();

  constructor(private readonly rates: Partial<Record<Channel, SendRate>>) {}

  /** The provider asked the channel to wait until `until`. */
  pause(channel: Channel, until: number): void {
    this.pausedUntil.set(channel, Math.max(this.pausedUntil.get(channel) ?? 0, until));
  }

  /** How long the channel is still paused; 0 when it may send. */
  pausedFor(channel: Channel, clock: number): number {
    return Math.max(0, (this.pausedUntil.get(channel) ?? 0) - clock);
  }

  /** Sends the channel may make now: its bucket's tokens, a fraction included (no limit: Infinity). */
  allowance(channel: Channel, clock: number): number {
    const limit = this.rates[channel];
    return limit ? this.refill(channel, limit, clock).tokens : Number.POSITIVE_INFINITY;
  }

  /** How long until the channel's bucket holds one whole send (its allowance is under one). */
  msUntilOne(channel: Channel, clock: number): number {
    const limit = this.rates[channel];
    if (!limit) return 0;
    return Math.ceil(((1 - this.refill(channel, limit, clock).tokens) * limit.seconds * 1000) / limit.count);
  }

  /** `count` sends were claimed on the channel. */
  spend(channel: Channel, count: number): void {
    const bucket = this.buckets.get(channel);
    if (bucket) bucket.tokens -= count;
  }

  private refill(channel: Channel, limit: SendRate, clock: number): { tokens: number; at: number } {
    const capacity = Math.max(1, limit.count);
    const bucket = this.buckets.get(channel) ?? { tokens: capacity, at: clock };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((clock - bucket.at) / 1000 / limit.seconds) * limit.count);
    bucket.at = clock;
    this.buckets.set(channel, bucket);
    return bucket;
  }
}
