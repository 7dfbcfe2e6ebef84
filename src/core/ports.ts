import type { CountryCode } from "./countries.js";
import type { IntentId } from "./intents.js";
import type { Lang } from "./languages.js";
import type { InsightCounts, InsightsFilter } from "./insights/model.js";

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

export interface RetentionCutoffs {
  textBefore: string;
  closedBefore: string;
  now: string;
}

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

/** A person handed off to caseworkers. */
export interface CaseRecord {
  id: number;
  userKey: string;
  channel: Channel;
  lang: Lang;
  country: CountryCode | null;
  /** The handoff intent that opened (or last raised) the case. */
  category: IntentId;
  priority: 1 | 2 | 3;
  status: "open" | "claimed" | "closed";
  /** The conversation since shortly before the handoff, oldest first. */
  transcript: TranscriptLine[];
  openedAt: string;
  updatedAt: string;
  /** The case's topic in the caseworker group, once created. */
  threadId: number | null;
  claimedBy: string | null;
}

export interface TranscriptLine {
  at: string;
  text: string;
  /** Who wrote it; absent for the person. */
  from?: "caseworker" | undefined;
}

/** A caseworker's message for the person, with the provider id that makes retries harmless. */
export interface CaseworkerReply {
  caseId: number;
  externalId: string;
  text: string;
  at: string;
  /** Who wrote it, for the audit ("telegram:<id>"). */
  actor: string;
  outbox: readonly NewOutboxItem[];
}

/** What a handoff turn asks of the store: open a case, or raise the person's open one. */
export interface CaseRequest {
  category: IntentId;
  priority: 1 | 2 | 3;
  lang: Lang;
  country: CountryCode | null;
  /** The message that raised it (the transcript's last line when the channel stores no inbound messages). */
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

/** Why a question is kept: Brújula did not understand it, the person left a clarification open, or said "not useful". */
export type UnansweredKind = "fallback" | "clarify" | "not_useful";

/** A question kept for the content team: redacted by the engine, tied to nobody (a day, no time, no person). */
export interface NewQuestion {
  /** "answered": an answer waiting for its rating, never listed; it becomes not_useful or is dropped. */
  kind: UnansweredKind | "answered";
  lang: Lang;
  /** fallback: the nearest intent; clarify: the first option; answered / not_useful: the answer given. */
  intent: IntentId | null;
  score: number | null;
  text: string;
  /** YYYY-MM-DD (UTC). */
  day: string;
  /** Present while the person's next turn may settle it (ConversationState.pending). */
  token?: string | undefined;
}

export type QuestionChange =
  | { op: "add"; question: NewQuestion }
  /** kept: stays, unlinked (token cleared); dropped: deleted; not_useful: an answered row becomes not_useful. */
  | { op: "settle"; token: string; as: "kept" | "dropped" | "not_useful" };

export interface UnansweredQuestion {
  id: number;
  kind: UnansweredKind;
  lang: Lang;
  intent: IntentId | null;
  score: number | null;
  text: string;
  day: string;
}

/** A caseworker account of the web dashboard. */
export interface CaseworkerAccount {
  id: number;
  username: string;
  passwordHash: string;
  role: "caseworker" | "supervisor";
  lang: "es" | "en" | "fr";
}

export interface CaseworkerSession {
  caseworker: CaseworkerAccount;
  /** The token forms must echo (CSRF). */
  csrf: string;
  expiresAt: string;
}

/** Storage port. Every adapter (SQLite on Node, D1 on Workers) passes the same contract suite. */
export interface Store {
  /** Conversation state by keyed user hash; null for a person never seen. */
  getState(userKey: string): Promise<ConversationState | null>;
  saveState(userKey: string, channel: Channel, state: ConversationState): Promise<void>;
  appendEvents(events: readonly StoredEvent[]): Promise<void>;
  listEvents(filter?: { userKey?: string; type?: string; limit?: number }): Promise<StoredEvent[]>;
  /** Forgets a person: state, events, inbound messages and contacts. Returns how many rows were removed. */
  deleteUser(userKey: string): Promise<number>;

  /** Has this provider message already been processed? */
  hasInbound(channel: Channel, externalId: string): Promise<boolean>;
  /** How many messages the person sent since `since` (ISO), for the per-person rate limit. */
  countInbound(userKey: string, since: string): Promise<number>;
  /**
   * Writes a whole turn in one transaction; "duplicate" (and nothing written) when the inbound id was seen.
   * With a contact (the person just wrote), replies held for WhatsApp's 24-hour window are released too.
   */
  commitTurn(turn: TurnRecord): Promise<"committed" | "duplicate">;
  getContact(userKey: string, channel: Channel): Promise<Contact | null>;
  /** Cases, most urgent and oldest first. */
  listCases(filter?: { status?: CaseRecord["status"]; userKey?: string }): Promise<CaseRecord[]>;
  getCase(query: { id?: number; threadId?: number; userKey?: string }): Promise<CaseRecord | null>;
  setCaseThread(caseId: number, threadId: number): Promise<void>;
  /**
   * A caseworker wrote to the person: the line joins the transcript and the reply is queued, once per provider
   * id ("duplicate" when the update was seen).
   */
  /**
   * "unreachable", with nothing written, when the person deleted their data after the case was read (the case is
   * then tied to nobody): a caseworker's words must not bring an address back.
   */
  caseworkerReply(reply: CaseworkerReply): Promise<"committed" | "duplicate" | "unreachable">;
  /** Who did what to a case, oldest first. */
  caseAudit(caseId: number): Promise<{ actor: string; action: string; at: string }[]>;
  /** Records an action that changes nothing else (a caseworker viewed the case). */
  addCaseAudit(caseId: number, actor: string, action: string, at: string): Promise<void>;
  /** Private notes of caseworkers on a case (audited as "noted"). */
  addCaseNote(caseId: number, author: string, text: string, at: string): Promise<void>;
  listCaseNotes(caseId: number): Promise<{ author: string; text: string; at: string }[]>;
  listCaseworkers(): Promise<Omit<CaseworkerAccount, "passwordHash">[]>;
  /**
   * Unclaimed P1 cases opened (or last announced) at least `minutes` ago: each gets `notice(case)` queued and is
   * marked announced, in one transaction. Returns how many.
   */
  reannounce(now: string, minutes: number, notice: (c: CaseRecord) => NewOutboxItem): Promise<number>;
  /** Claims or closes a case. Closing gives the person back to the bot (asking them to rate the help). */
  updateCase(
    caseId: number,
    change: { claimedBy: string; force?: boolean } | { closedBy: string },
    at: string,
    outbox: readonly NewOutboxItem[],
  ): Promise<CaseRecord | null>;

  /** Queues replies outside a turn (a caseworker's message, a template notification). */
  enqueue(items: readonly NewOutboxItem[]): Promise<number[]>;
  /**
   * Claims up to `limit` items that are due at `now`: the oldest unsent item of each person (so one person's
   * replies go out in order and a flood from one person cannot starve others), including items whose sending
   * lease expired (a crash mid-send). Claimed items are "sending" until `leaseUntil`.
   */
  claimDue(now: string, leaseUntil: string, limit: number, channels?: readonly Channel[]): Promise<OutboxItem[]>;
  /**
   * Records what sending came to. A sent or failed item keeps no address or text (nothing more to deliver). A
   * "held" outcome decided before the person wrote again is recorded as pending instead (see SendOutcome).
   * With `attempt` (the claim's attempt number), an outcome that arrives after the item was claimed again
   * (its lease ran out mid-send) is ignored, so a late failure never undoes a later success.
   */
  completeOutbox(id: number, outcome: SendOutcome, at: string, attempt?: number): Promise<void>;
  /**
   * A provider's delivery report for a sent item. `hold`: the provider refused it after accepting it because
   * the conversation window had closed; the item goes back to held, to be sent when the person writes.
   */
  recordDelivery(providerId: string, status: string, errorCode: string | null, hold?: boolean): Promise<boolean>;
  /** Puts a person's held items back in the queue (the WhatsApp window reopened). */
  releaseHeld(userKey: string, channel: Channel, at: string): Promise<number>;
  getOutbox(filter?: { userKey?: string; status?: OutboxStatus }): Promise<OutboxItem[]>;
  /** How many outbox items are in each status (for /health: held and failed replies must be visible). */
  outboxCounts(): Promise<Record<OutboxStatus, number>>;
  /** When the next unsent item is due, or null: lets the sender sleep exactly as long as needed. */
  nextDue(): Promise<string | null>;

  addCaseworker(account: Omit<CaseworkerAccount, "id">, at: string): Promise<number>;
  findCaseworker(username: string): Promise<CaseworkerAccount | null>;
  createSession(tokenHash: string, caseworkerId: number, csrf: string, at: string, expiresAt: string): Promise<void>;
  /** The session of a token hash, if it exists and has not expired at `now`. */
  getSession(tokenHash: string, now: string): Promise<CaseworkerSession | null>;
  deleteSession(tokenHash: string): Promise<void>;
  /**
   * Counts a sign-in attempt against each key before the password is checked (so parallel guesses are counted
   * too): null when a key already has `max` attempts since `since`, else the ids to release on success.
   */
  reserveSigninAttempt(keys: readonly { key: string; max: number }[], at: string, since: string): Promise<number[] | null>;
  /** A successful sign-in does not count against anyone. */
  releaseSigninAttempt(ids: readonly number[]): Promise<void>;

  /**
   * Retention: erases the text of messages received before `textBefore`, the transcripts and notes of cases
   * closed before `closedBefore` (audited), expired sessions and old sign-in failures. Idempotent.
   */
  purge(cutoffs: RetentionCutoffs): Promise<{ texts: number; transcripts: number }>;

  /**
   * Key rotation: re-encrypts with the current data key up to `limit` stored values sealed with an older key (or
   * written before encryption); returns how many. 0 means every value is under the current key.
   */
  reseal(limit: number): Promise<number>;

  /** How many stored values each data key sealed ("plain": written before encryption); for checks and rotation. */
  keysInUse(): Promise<Record<string, number>>;

  /** Kept questions (never "answered" rows), newest first, days inclusive; `ids` picks some (the review button). */
  listUnanswered(filter: { from: string; to: string; lang?: Lang | undefined; ids?: readonly number[] | undefined; limit?: number | undefined }): Promise<UnansweredQuestion[]>;

  /** The counts behind the insights page, each with the people behind it. Nothing of any person. */
  insightCounts(filter: InsightsFilter): Promise<InsightCounts>;

  /** Cases by status, and the case audit's actions counted (for metrics: nothing of the people). */
  caseCounts(): Promise<{ byStatus: Record<CaseRecord["status"], number>; actions: Record<string, number> }>;

  ping(): Promise<boolean>;
  close(): Promise<void>;
}
