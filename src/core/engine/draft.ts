import type { Schedule } from "../availability.js";
import type { ContentLibrary } from "../content.js";
import type { Translate } from "../i18n/index.js";
import type { Interprets } from "../interpret.js";
import type { Lang } from "../languages.js";
import type { ConversationState } from "../ports.js";
import type { StoredEvent } from "../store/turn.js";
import type { TurnQuestions } from "./feedback.js";
import type { InboundMessage, Reply, Turn } from "./types.js";

/** What the engine reads with, and how it is set up. */
export interface EngineDeps {
  interpreter: Interprets;
  content: ContentLibrary;
  translator: (lang: Lang) => Translate;
  /** Caseworkers' working hours, to tell a person in a handoff when someone will answer. */
  schedule?: Schedule | undefined;
  /** Caseworkers are connected (a caseworker group): a handoff hands them the conversation. */
  caseworkers?: boolean | undefined;
  /** Messages a person may send a minute; beyond it one "please wait", then silence (a cry for help still passes). */
  rateLimit?: number | undefined;
  /** Days message text and closed cases are kept (RETENTION_DAYS, CASE_RETENTION_DAYS), as the privacy notice says. */
  retention?: { days: number; caseDays: number } | undefined;
  /** Names a kept question while the next turn may settle it (tests pass a predictable one). */
  newToken?: (() => string) | undefined;
}

/** What a turn is being built from: the message, the state so far and what happened. */
export interface Draft {
  message: InboundMessage;
  state: ConversationState;
  lang: Lang;
  replies: Reply[];
  events: StoredEvent[];
  /** Questions kept for the content team, and the open one from the previous turn. */
  questions: TurnQuestions;
  forget: boolean;
  handoff?: Turn["handoff"];
  relay?: string | undefined;
  leftCase?: boolean | undefined;
  /** The bot is asking which language: what it says next waits for the answer. */
  languageUnknown?: boolean | undefined;
}

/** An event of the turn, tied to the person unless `untied` (counted, not tied to anyone: ratings, deletions). */
export function event(draft: Draft, type: string, data: Record<string, unknown>, tie: "tied" | "untied" = "tied"): void {
  const userKey = tie === "tied" ? draft.message.userKey : "";
  draft.events.push({ type, userKey, channel: draft.message.channel, at: draft.message.at.toISOString(), data });
}
