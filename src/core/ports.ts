import type { CountryCode } from "./countries.js";
import type { IntentId } from "./intents.js";
import type { Lang } from "./languages.js";

/**
 * Ports: what the core needs from the outside world, as interfaces. Adapters (src/nlu, src/store, channels)
 * implement them; the core never imports an adapter. The storage port and its records: ./store/.
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

/** The intents ranked for a message, and how much it looks like the messages Brújula does not answer. */
export interface Ranking {
  intents: RankedIntent[];
  /** Score of the out-of-scope counter-examples (intents/out-of-scope.json), on the same scale; 0 without them. */
  outOfScope: number;
}

/** Ranks the catalogue's intents for a message (the intent index built from `intents/`). */
export interface IntentRanker {
  readonly embedderId: string;
  rank(text: string, lang: Lang): Promise<Ranking>;
  /** Several texts at once (a long message and its sentences): one model call for all of them. */
  rankAll?(texts: readonly string[], lang: Lang): Promise<Ranking[]>;
}

/** Where messages come from and go to. "caseworker" is the caseworkers' side (their Telegram group). */
export type Channel = "api" | "cli" | "telegram" | "whatsapp" | "sms" | "caseworker";

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
  /** The last answer given, so that "MORE" on SMS can send it in full. */
  lastAnswer?: IntentId | undefined;
  /** Options of the last clarification or menu, so that "1" or "2" answers them. */
  options?: string[] | undefined;
  /** Open handoff (sensitive request) since this time (ISO). */
  handoffSince?: string | undefined;
  /** A caseworker has the conversation: the person's messages go to them and the bot stays quiet. */
  withCaseworker?: boolean | undefined;
  turns?: number | undefined;
  /** The one-line privacy notice was shown (on first contact, once the language is known). */
  noticed?: boolean | undefined;
  /**
   * A kept question the next turn settles (a clarification the person may resolve, an answer they may rate): a
   * random token naming its row in the store, never its text.
   */
  pending?: { token: string; kind: "clarify" | "answer"; intent: IntentId } | undefined;
}

export type Awaiting = "country" | "language" | "clarify" | "menu" | "delete_confirm" | "rating";
