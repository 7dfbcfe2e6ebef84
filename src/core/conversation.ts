import type { Engine } from "./engine/engine.js";
import type { InboundMessage, Turn } from "./engine/types.js";
import type { Channel } from "./ports.js";
import type { Contact, NewOutboxItem } from "./store/outbox.js";
import type { Store } from "./store/store.js";
import type { InboundRecord } from "./store/turn.js";

/** How a channel message is delivered and answered: its provider id, where the person is, how replies render. */
export interface Delivery {
  /** The provider's message id, for exactly-once processing of retried webhooks. */
  externalId: string;
  /** Where the person can be reached (phone number, chat id); stored with the turn. */
  address: string;
  /** Renders the turn's replies into outbox items for the channel. */
  render: (turn: Turn) => NewOutboxItem[];
}

/**
 * Runs one turn of a person's conversation against the store: load state, ask the engine, write what it
 * decided in one transaction. Turns of the same person run one after another (a second message waits for the
 * first), so two quick messages never overwrite each other's state.
 */
export class Conversations {
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly engine: Engine,
    private readonly store: Store,
    /** Caseworkers are connected: cases and relayed messages are queued for them (channel "caseworker"). */
    private readonly caseworkers = false,
    /** Told of every turn once it is stored (metrics); never of a retried one. */
    private readonly onTurn?: (channel: Channel, turn: Turn) => void,
  ) {}

  /** A turn whose replies the caller returns itself (the JSON API, the terminal chat). */
  handle(message: InboundMessage): Promise<Turn> {
    return this.serialised(message.userKey, async () => (await this.run(message, undefined))!);
  }

  /**
   * A channel turn: the inbound message, the new state and the rendered replies (in the outbox) are stored
   * together before this resolves, so acknowledging the webhook afterwards loses nothing. Resolves to null,
   * with nothing written, when the provider's id was already processed (a retried webhook).
   */
  handleDelivered(message: InboundMessage, delivery: Delivery): Promise<Turn | null> {
    return this.serialised(message.userKey, () => this.run(message, delivery));
  }

  private serialised<T>(userKey: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(userKey) ?? Promise.resolve();
    const turn = previous.catch(() => undefined).then(work);
    const settled = turn.catch(() => undefined);
    this.queues.set(userKey, settled);
    void settled.then(() => {
      if (this.queues.get(userKey) === settled) this.queues.delete(userKey);
    });
    return turn;
  }

  /** What the caseworkers' side must learn from this turn: a case opened or raised, a message from the person. */
  private forCaseworkers(userKey: string, turn: Turn): NewOutboxItem[] {
    if (!this.caseworkers) return [];
    const items: NewOutboxItem[] = [];
    // One queue per case, apart from the person's own replies: the case's topic exists before its messages.
    const queue = caseQueue(userKey);
    if (turn.handoff) items.push({ channel: "caseworker", userKey: queue, payload: { kind: "case", person: userKey } });
    if (turn.relay !== undefined) items.push({ channel: "caseworker", userKey: queue, payload: { kind: "relay", person: userKey, text: turn.relay } });
    if (turn.leftCase) {
      const text = "The person went back to the automatic assistant. Your answers still reach them; close the case when it is done.";
      items.push({ channel: "caseworker", userKey: queue, payload: { kind: "note", person: userKey, text } });
    }
    return items;
  }

  private async run(message: InboundMessage, delivery: Delivery | undefined): Promise<Turn | null> {
    const { userKey, channel } = message;
    if (delivery && (await this.store.hasInbound(channel, delivery.externalId))) return null;
    const stored = await this.store.getState(userKey);
    const limit = this.engine.rateLimit;
    const counted = limit && delivery ? { ...message, recentMessages: await this.store.countInbound(userKey, new Date(message.at.getTime() - 60_000).toISOString()) } : message;
    const turn = await this.engine.respond(counted, stored);
    const at = message.at.toISOString();
    const inbound: InboundRecord | undefined = delivery && { channel, externalId: delivery.externalId, text: message.text, at };
    const contact: Contact | undefined = delivery && { address: delivery.address, lastInboundAt: at };
    const outcome = await this.store.commitTurn({
      userKey,
      channel,
      inbound,
      state: turn.forget ? null : turn.state,
      events: turn.events,
      contact,
      handoff: turn.handoff && {
        category: turn.handoff.intent,
        priority: turn.handoff.priority,
        lang: turn.lang,
        country: turn.state.country ?? null,
        text: message.text,
        at,
      },
      relay: turn.relay !== undefined ? { text: turn.relay, at } : undefined,
      forgetNotice: turn.forget && this.caseworkers ? FORGOTTEN_NOTICE : undefined,
      questions: turn.forget ? [] : turn.questions,
      outbox: [...(delivery ? delivery.render(turn) : []), ...this.forCaseworkers(userKey, turn)],
    });
    // (With the contact, the store also released replies held for WhatsApp's window: the person just wrote.)
    if (outcome === "duplicate") return null;
    this.onTurn?.(channel, turn);
    return turn;
  }
}

/** What the caseworkers of an open case read when the person deletes their data (the case is closed and erased). */
export const FORGOTTEN_NOTICE =
  "🗑 Case #{case}: the person asked for their data to be deleted. The case is closed and its record erased; nothing more can be sent to them. Delete this topic if its messages should not stay in the group.";

/** The outbox queue of a person's case on the caseworkers' side. */
export function caseQueue(userKey: string): string {
  return `case:${userKey}`;
}
