import { redactQuestion } from "../insights/redact.js";
import type { IntentId } from "../intents.js";
import type { Lang } from "../languages.js";
import type { ConversationState, NewQuestion, QuestionChange } from "../ports.js";

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

  constructor(
    /** What the previous turn left open, if anything. */
    readonly pending: PendingQuestion | undefined,
    private readonly day: string,
    private readonly newToken: () => string,
    /** The bot asked for the country before answering: the open answer has not been shown yet. */
    private readonly answerWaits = false,
  ) {}

  /** The intent of the answer the person may rate now, if any. */
  rateable(): IntentId | undefined {
    return this.pending?.kind === "answer" && !this.answerWaits ? this.pending.intent : undefined;
  }

  /** Brújula did not understand: kept for the content team, tied to nothing. */
  fallback(text: string, lang: Lang, nearest: IntentId | null, score: number): void {
    const redacted = redactQuestion(text);
    if (redacted) this.added.push(this.question("fallback", redacted, lang, nearest, score));
  }

  /** A clarification asked or an answer given: kept until the next turn settles it; the state carries the token. */
  open(kind: PendingQuestion["kind"], text: string, lang: Lang, intent: IntentId, score: number): PendingQuestion | undefined {
    const redacted = redactQuestion(text);
    if (!redacted) return undefined;
    const token = this.newToken();
    this.added.push({ ...this.question(kind === "clarify" ? "clarify" : "answered", redacted, lang, intent, score), token });
    return { token, kind, intent };
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
      this.carry();
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
