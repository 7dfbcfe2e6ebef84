import type { IntentId } from "../intents.js";
import type { Lang } from "../languages.js";

// Questions kept for the content team (redacted, tied to nobody), and how a turn changes them.

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
