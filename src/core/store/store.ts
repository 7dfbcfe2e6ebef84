import type { InsightCounts, InsightsFilter } from "../insights/model.js";
import type { Lang } from "../languages.js";
import type { Channel, ConversationState } from "../ports.js";
import type { CaseRecord, CaseworkerAccount, CaseworkerReply, CaseworkerSession } from "./cases.js";
import type { Contact, NewOutboxItem, OutboxItem, OutboxStatus, SendOutcome } from "./outbox.js";
import type { UnansweredQuestion } from "./questions.js";
import type { StoredEvent, TurnRecord } from "./turn.js";

// The storage port: what the core and the channels need kept. Its records are in this folder, one concept a file
// (a turn, the outbox, cases and caseworkers, questions for the content team). Adapters: src/store/sqlite (Node)
// and src/store/d1 (Workers), both held to tests/store/contract.ts.

export interface RetentionCutoffs {
  textBefore: string;
  closedBefore: string;
  now: string;
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
