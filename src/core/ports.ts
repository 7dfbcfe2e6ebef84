import type { CountryCode } from "./countries.js";
import type { IntentId } from "./intents.js";
import type { Lang } from "./languages.js";

/**
 * Ports: what the core needs from the outside world, as interfaces. Adapters (src/nlu, src/store, channels)
 * implement them; the core never imports an adapter.
 */

/** A sparse, L2-normalised vector: `indices` ascending, `values` the matching weights. Dense models fill every index. */
export interface Embedding {
  indices: Uint32Array;
  values: Float32Array;
}

export interface Embedder {
  /** Stable identifier of the model and its settings: keys caches and selects calibrated thresholds. */
  readonly id: string;
  /** Embeds texts; `lang` lets lexical embedders apply the language's spelling rules. */
  embed(texts: readonly string[], lang?: Lang): Promise<Embedding[]>;
}

export interface RankedIntent {
  intent: IntentId;
  score: number;
}

/** Ranks the catalogue's intents for a message (the intent index built from `intents/`). */
export interface IntentRanker {
  readonly embedderId: string;
  rank(text: string, lang: Lang): Promise<RankedIntent[]>;
}

export type Channel = "api" | "cli" | "telegram" | "whatsapp" | "sms";

/** What the conversation remembers about a person between messages. Kept deliberately small. */
export interface ConversationState {
  lang?: Lang | undefined;
  /** True once the person chose a language explicitly: detection no longer switches it. */
  langChosen?: boolean | undefined;
  country?: CountryCode | undefined;
  /** What the bot is waiting for, if anything. */
  awaiting?: Awaiting | undefined;
  /** Intent whose answer waits for the country. */
  pendingIntent?: IntentId | undefined;
  /** Options of the last clarification or menu, so that "1" or "2" answers them. */
  options?: string[] | undefined;
  /** Open handoff (sensitive request) since this time (ISO). */
  handoffSince?: string | undefined;
  turns?: number | undefined;
}

export type Awaiting = "country" | "language" | "clarify" | "menu" | "delete_confirm";

export interface StoredEvent {
  type: string;
  userKey: string;
  channel: Channel;
  at: string;
  data: Record<string, unknown>;
}

/** Storage port. Every adapter (SQLite on Node, D1 on Workers) passes the same contract suite. */
export interface Store {
  /** Conversation state by keyed user hash; null for a person never seen. */
  getState(userKey: string): Promise<ConversationState | null>;
  saveState(userKey: string, channel: Channel, state: ConversationState): Promise<void>;
  appendEvents(events: readonly StoredEvent[]): Promise<void>;
  listEvents(filter?: { userKey?: string; type?: string; limit?: number }): Promise<StoredEvent[]>;
  /** Forgets a person: state and events. Returns how many rows were removed. */
  deleteUser(userKey: string): Promise<number>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
