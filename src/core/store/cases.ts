import type { CountryCode } from "../countries.js";
import type { IntentId } from "../intents.js";
import type { Lang } from "../languages.js";
import type { Channel } from "../ports.js";
import type { NewOutboxItem } from "./outbox.js";

// Handoffs to caseworkers: cases, their transcripts, the caseworkers' replies, accounts and sessions.

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
