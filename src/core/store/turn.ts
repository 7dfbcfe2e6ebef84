import type { Channel, ConversationState } from "../ports.js";
import type { CaseRequest } from "./cases.js";
import type { Contact, NewOutboxItem } from "./outbox.js";
import type { QuestionChange } from "./questions.js";

// A conversation turn as the store writes it, all at once, and the records it carries.

export interface StoredEvent {
  type: string;
  userKey: string;
  channel: Channel;
  at: string;
  data: Record<string, unknown>;
}

/** A message received on a channel, as stored: the provider's id makes retries harmless. */
export interface InboundRecord {
  channel: Channel;
  /** Telegram's update_id, Twilio's MessageSid. */
  externalId: string;
  text: string;
  at: string;
}

/**
 * One conversation turn, written atomically: the inbound message (deduplicated), the new state (or the
 * person forgotten), the events, the contact and the replies to send. Nothing of it exists until all of it does.
 */
export interface TurnRecord {
  userKey: string;
  channel: Channel;
  inbound?: InboundRecord | undefined;
  /** null: forget the person (state, events, inbound messages, contact), then queue the outbox items. */
  state: ConversationState | null;
  events: readonly StoredEvent[];
  contact?: Contact | undefined;
  /** A handoff: the case is written in the same transaction as the safety reply, never after it. */
  handoff?: CaseRequest | undefined;
  /** The person wrote while a caseworker has the conversation: the line joins the case's transcript. */
  relay?: { text: string; at: string } | undefined;
  /** With `state: null` and caseworkers: what the caseworkers of the person's open case are told. */
  forgetNotice?: string | undefined;
  /** With `state: null`, the items addressed to the person go out on a queue tied to nobody (forgottenQueue). */
  outbox: readonly NewOutboxItem[];
  /** Questions kept for the content team, in this order: settled first, then added. None with `state: null`. */
  questions?: readonly QuestionChange[] | undefined;
}
