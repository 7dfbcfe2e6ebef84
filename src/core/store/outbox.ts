import type { Channel } from "../ports.js";

// Replies on their way out, what sending one came to, and where a person can be reached.

/**
 * A reply on its way out. The payload is channel-specific JSON (rendered by the channel adapter, sent by its
 * transport); the core only moves it.
 */
export interface NewOutboxItem {
  channel: Channel;
  userKey: string;
  payload: Record<string, unknown>;
  /** Not before this time (ISO); defaults to now. */
  notBefore?: string | undefined;
}

export type OutboxStatus = "pending" | "sending" | "sent" | "failed" | "held";

export interface OutboxItem extends NewOutboxItem {
  id: number;
  status: OutboxStatus;
  attempts: number;
  createdAt: string;
  providerId: string | null;
  delivery: string | null;
  lastError: string | null;
}

/** What sending one outbox item came to. */
export type SendOutcome =
  | {
      status: "sent";
      providerId: string | null;
      /** The provider will report delivery (Twilio): keep the payload until then, in case it bounces back. */
      awaitingReport?: boolean | undefined;
    }
  | { status: "retry"; at: string; error: string }
  | { status: "failed"; error: string }
  | {
      status: "held";
      reason: string;
      /** The person's last message as seen when deciding; if they wrote since, the item is not held. */
      seenInboundAt?: string | null | undefined;
    };

/** Where and when a person on a channel can be reached. */
export interface Contact {
  address: string;
  lastInboundAt: string;
}
