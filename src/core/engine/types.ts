import type { CountryCode } from "../countries.js";
import type { HandoffPriority, IntentId } from "../intents.js";
import type { Lang } from "../languages.js";
import type { Channel, ConversationState } from "../ports.js";
import type { QuestionChange } from "../store/questions.js";
import type { StoredEvent } from "../store/turn.js";

/** A message from a person, already translated from the channel's payload. */
/** What arrived instead of text: channels answer it politely (and a shared location may give the country). */
export type MediaKind = "voice" | "audio" | "photo" | "video" | "sticker" | "document" | "location" | "contact" | "other";

export interface InboundMessage {
  channel: Channel;
  /** Keyed hash of the channel's user id (never the raw phone number or Telegram id). */
  userKey: string;
  text: string;
  /** The channel's or caller's language hint (Telegram's language_code, the API's `lang`). */
  langHint?: Lang | undefined;
  /** A quick-reply option chosen by button (Telegram callback data), when there is one. */
  optionId?: string | undefined;
  /** The message carried media rather than (or besides) text. */
  media?: MediaKind | undefined;
  /** How many messages the person sent in the minute before this one (for the rate limit), when counted. */
  recentMessages?: number | undefined;
  /** The country of a shared location, when it could be told. */
  locationCountry?: CountryCode | null | undefined;
  at: Date;
}

/** A quick-reply option. `id` is what comes back when chosen; `label` is shown. */
export interface QuickReply {
  id: string;
  label: string;
}

/** A channel-neutral reply: the channel adapters render it (buttons on Telegram, numbered lists on SMS). */
export interface Reply {
  text: string;
  options?: QuickReply[] | undefined;
  /** The vetted content entry the text came from, if any (channels may prefer its SMS summary). */
  content?:
    | {
        intent: IntentId;
        title: string;
        summary: string;
        sources: { name: string; url: string }[];
        /** How many of the first sources SMS must show: those of the phone numbers in the summary, or one. */
        cite: number;
        /** "MORE" brings the whole answer (informational answers; a safety reply stands alone). */
        more: boolean;
      }
    | undefined;
  /** The person asked for the whole answer ("MORE" on SMS): channels show the body, not the summary. */
  detail?: boolean | undefined;
  /**
   * A line shown first (the privacy notice of first contact). It already begins `text`; channels that build the
   * reply from `content` instead (SMS summaries) put it first themselves.
   */
  preface?: string | undefined;
  /** This answer may be rated "useful / not useful" (Telegram draws 👍/👎 under it). */
  rate?: IntentId | undefined;
}

/** What one turn of the conversation produced. The engine only describes; adapters act. */
export interface Turn {
  lang: Lang;
  replies: Reply[];
  state: ConversationState;
  events: StoredEvent[];
  /** The person asked to be forgotten: delete everything stored, and do not save the new state. */
  forget: boolean;
  /** A person must take over: a case is opened (or the open one raised) with the turn. */
  handoff?: { intent: IntentId; priority: HandoffPriority } | undefined;
  /** The message goes to the caseworker who has the conversation (the text, or "[voice]" for media). */
  relay?: string | undefined;
  /** The person went back to the bot during a case (the case stays open for the caseworker to close). */
  leftCase?: boolean | undefined;
  /** Questions kept for the content team (redacted), settled or added by this turn. */
  questions?: QuestionChange[] | undefined;
}
