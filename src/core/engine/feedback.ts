import { redactQuestion } from "../insights/redact.js";
import type { IntentId } from "../intents.js";
import type { Interpretation } from "../interpret.js";
import type { Lang } from "../languages.js";
import type { ConversationState } from "../ports.js";
import type { NewQuestion, QuestionChange } from "../store/questions.js";
import { event, type Draft, type EngineDeps } from "./draft.js";
import { menuButtonReply } from "./replies.js";

/** A kept question the next turn settles (its token names the stored row; the state never holds its text). */
export type PendingQuestion = NonNullable<ConversationState["pending"]>;

/**
 * The questions one turn keeps for the content team, and how it settles the one the previous turn left open.
 *
 * - A fallback is kept as it is.
 * - A clarification is kept with a token: if the next turn picks one of the offered topics it was resolved and is
 *   dropped; anything else (something else, a new message, silence) keeps it as unresolved.
 * - An answer to a free-text question is kept with a token while it may be rated: "not useful" keeps it, "useful"
 *   or moving on drops it. Saying thanks (which offers the rating) or "MORE" on SMS carries it to the next turn.
 *
 * Texts are redacted here, before they leave the engine; a message in a language Brújula does not speak, or with
 * nothing left to read after redaction, is not kept.
 */
export class TurnQuestions {
  private readonly added: NewQuestion[] = [];
  private outcome: "kept" | "dropped" | "not_useful" | "carried" | undefined;
  private readonly day: string;

  constructor(
    /** What the previous turn left open, if anything. */
    readonly pending: PendingQuestion | undefined,
    /** The person's message this turn, and when it came. */
    private readonly message: { text: string; at: Date },
    private readonly newToken: () => string,
    /** The bot asked for the country before answering: the open answer has not been shown yet. */
    private readonly answerWaits = false,
  ) {
    this.day = message.at.toISOString().slice(0, 10);
  }

  /** The intent of the answer the person may rate now, if any. */
  rateable(): IntentId | undefined {
    return this.pending?.kind === "answer" && !this.answerWaits ? this.pending.intent : undefined;
  }

  /** Brújula did not understand the message: kept for the content team, tied to nothing. */
  fallback(lang: Lang, reading: Interpretation): void {
    const { decision } = reading;
    if (!reading.language.supported || decision.kind !== "fallback") return;
    const redacted = redactQuestion(this.message.text);
    if (redacted) this.added.push(this.question("fallback", redacted, lang, decision.nearest, decision.confidence));
  }

  /**
   * A clarification asked or an answer given (or promised once the country is known) for the message: kept until
   * the next turn settles it. The returned token goes in the state.
   */
  open(kind: PendingQuestion["kind"], lang: Lang, intent: IntentId, reading: Interpretation): PendingQuestion | undefined {
    const redacted = reading.language.supported ? redactQuestion(this.message.text) : null;
    if (!redacted) return undefined;
    const token = this.newToken();
    this.added.push({ ...this.question(kind === "clarify" ? "clarify" : "answered", redacted, lang, intent, reading.confidence), token });
    return { token, kind, intent };
  }

  /** The answer kept earlier is shown now (the country given, or in full): it may still be rated. */
  reshown(intent: IntentId): boolean {
    if (this.pending?.kind !== "answer" || this.pending.intent !== intent) return false;
    this.carry();
    return true;
  }

  /** The open question stays open for one more turn (the thanks that offers the rating, "MORE"). */
  carry(): void {
    if (this.outcome === undefined) this.outcome = "carried";
  }

  /** The question still open after this turn (carried over), for the state. */
  stillOpen(): PendingQuestion | undefined {
    return this.outcome === "carried" ? this.pending : undefined;
  }

  /**
   * A rating of the answer to `intent`. True when it rates the open answer (it settles it): a stale button or a
   * second rating of the same answer is not counted again, and leaves what is open as it was.
   */
  rate(intent: IntentId, useful: boolean): boolean {
    if (this.rateable() !== intent || this.outcome !== undefined) {
      if (this.rateable()) this.carry();
      return false;
    }
    this.outcome = useful ? "dropped" : "not_useful";
    return true;
  }

  /** This turn picked `chosen`, from the options the previous turn offered. */
  chose(chosen: string | undefined, offered: readonly string[] | undefined): void {
    if (this.pending?.kind !== "clarify" || this.outcome !== undefined) return;
    // Resolved: one of the topics offered was chosen ("something else" is the menu, not a topic).
    this.outcome = chosen?.startsWith("intent:") && offered?.includes(chosen) ? "dropped" : "kept";
  }

  /** The changes for the store: the open question settled first, then what this turn added. */
  changes(): QuestionChange[] {
    const settle: QuestionChange[] = [];
    if (this.pending && this.outcome !== "carried") {
      const as = this.outcome ?? (this.pending.kind === "clarify" ? "kept" : "dropped");
      settle.push({ op: "settle", token: this.pending.token, as });
    }
    return [...settle, ...this.added.map((question) => ({ op: "add" as const, question }))];
  }

  private question(kind: NewQuestion["kind"], text: string, lang: Lang, intent: IntentId | null, score: number): NewQuestion {
    return { kind, lang, intent, score: Math.round(score * 1000) / 1000, text, day: this.day };
  }
}

/** "Was this useful?": counted once per answer, tied to nobody (like the case rating). */
export function rate(deps: EngineDeps, draft: Draft, intent: IntentId, useful: boolean): void {
  if (draft.questions.rate(intent, useful)) {
    event(draft, "answer.rated", { intent, lang: draft.lang, country: draft.state.country ?? null, useful }, "untied");
  }
  const t = deps.translator(draft.lang);
  draft.replies.push(menuButtonReply(t, t("rating.thanks")));
}
