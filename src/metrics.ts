import type { Turn } from "./core/engine/types.js";
import type { Channel } from "./core/ports.js";
import type { OutboxItem, SendOutcome } from "./core/store/outbox.js";

/**
 * What the service reports as it works, for operations (`GET /metrics` on Node): turns read, replies sent or
 * not, webhook latency. Runtime-neutral; src/metrics-node.ts counts with prom-client. Labels are closed sets
 * (channels, languages, intents, outcome kinds): never a person, a number or a word of theirs.
 */
export interface Observer {
  turn(channel: Channel, turn: Turn): void;
  /** Of the item, only its channel is needed (a sender thread reports no more). */
  sent(item: Pick<OutboxItem, "channel">, outcome: SendOutcome): void;
  webhook(route: string, status: number, seconds: number): void;
}

/**
 * A failure's kind from a transport's error text ("telegram 403: Forbidden: bot was blocked" → "telegram 403",
 * "twilio 400 21211" stays): the part before any colon, without digits beyond the codes.
 */
export function failureReason(error: string): string {
  const head = error.startsWith("gave up after") ? "gave up" : error.split(":")[0]!;
  return head.trim().slice(0, 40) || "unknown";
}
