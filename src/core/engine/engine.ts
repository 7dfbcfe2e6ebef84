import { isCountryCode, isCountryStatement, type CountryCode } from "../countries.js";
import type { Translate } from "../i18n/index.js";
import { MESSAGES } from "../i18n/index.js";
import { COUNTRY_DEPENDENT, isHandoffIntent, isIntentId, type IntentId } from "../intents.js";
import type { Interpretation } from "../interpret.js";
import { isLang, type Lang } from "../languages.js";
import type { ConversationState } from "../ports.js";
import { event, type Draft, type EngineDeps } from "./draft.js";
import { rate, TurnQuestions } from "./feedback.js";
import { handOff, rateCase, withCaseworker } from "./handoff.js";
import { askToForget, forget, privacyNotice, showPrivacy } from "./privacy.js";
import {
  clarifyReply, contentReply, countryName, countryReply, languageReply, menuButtonReply, menuReply, option, ratingOption, ratingReply,
} from "./replies.js";
import type { InboundMessage, Reply, Turn } from "./types.js";
import { isMoreWord, isNo, isYes, namedLanguage, thumbs } from "./words.js";

/**
 * The conversation engine: a pure function of (message, stored state) → (replies, new state, events).
 * It sends nothing, stores nothing and logs nothing; the service around it does. A handoff and the conversation
 * while a caseworker has it: handoff.ts; the questions kept for the content team and ratings: feedback.ts; the
 * privacy notice and erasing a person's data: privacy.ts.
 */
export class Engine {
  constructor(private readonly deps: EngineDeps) {}

  private t(draft: Draft): Translate {
    return this.deps.translator(draft.lang);
  }

  async respond(message: InboundMessage, stored: ConversationState | null): Promise<Turn> {
    // What the previous turn left open is settled by this one (carried over, rated, resolved or let go).
    const { pending, ...kept } = stored ?? {};
    const state: ConversationState = { ...kept, turns: (stored?.turns ?? 0) + 1 };
    // Time first: tokens of the same moment sit together in the store's index, so the questions written by one
    // group of turns (and the recent ones they settle) touch a few pages of it rather than one page each.
    const newToken = this.deps.newToken ?? (() => `${message.at.getTime().toString(36).padStart(9, "0")}-${crypto.randomUUID()}`);
    const questions = new TurnQuestions(pending, message, newToken, stored?.awaiting === "country");
    const draft: Draft = { message, state, lang: state.lang ?? message.langHint ?? "es", replies: [], events: [], questions, forget: false };
    if (await this.overLimit(draft)) return { lang: draft.lang, replies: draft.replies, state: stored ?? {}, events: draft.events, forget: false, questions: [] };
    if (state.withCaseworker) {
      await withCaseworker(this.deps, draft, (d, intent, reading) => this.act(d, intent, reading));
      return this.turn(draft);
    }
    if (state.awaiting === "rating" && !message.optionId) {
      state.awaiting = undefined;
      if (rateCase(this.deps, draft)) return this.turn(draft);
    }
    // A bare 👍 / 👎 rates the answer that may be rated.
    const rateable = questions.rateable();
    const verdict = rateable && !message.optionId ? thumbs(message.text) : null;
    if (rateable && verdict) {
      rate(this.deps, draft, rateable, verdict === "up");
      return this.turn(draft);
    }
    // SMS answers are summaries: "MORE" sends the whole of the last one (which may still be rated).
    if (message.channel === "sms" && state.lastAnswer && !message.optionId && isMoreWord(message.text)) {
      this.answer(draft, state.lastAnswer, null, true);
      return this.turn(draft);
    }
    const chosen = message.optionId ?? this.numberedOption(message.text, state);
    if (message.media && !chosen && message.text.trim() === "") {
      this.media(draft, message.media, message.locationCountry ?? null);
      state.awaiting = undefined;
      state.options = undefined;
      return this.turn(draft);
    }
    const previous = { awaiting: state.awaiting, options: state.options };
    state.awaiting = undefined;
    state.options = undefined;
    questions.chose(chosen, previous.options);
    if (chosen) await this.choose(draft, chosen, previous.awaiting);
    else await this.converse(draft, previous.awaiting);
    return this.turn(draft);
  }

  get rateLimit(): number | undefined {
    return this.deps.rateLimit;
  }

  /**
   * A flood: the first message over the limit gets one polite "please wait", the next ones nothing, and the state
   * stays as it was. A message the safety screen flags is never held back.
   */
  private async overLimit(draft: Draft): Promise<boolean> {
    const { message } = draft;
    const limit = this.deps.rateLimit;
    if (!limit || message.recentMessages === undefined || message.recentMessages < limit) return false;
    if (message.text.trim() !== "") {
      const reading = await this.deps.interpreter.interpret(message.text, { current: draft.state.lang, hint: message.langHint });
      if (reading.handoff) return false;
    }
    if (message.recentMessages === limit) {
      draft.replies.push({ text: this.t(draft)("rate.wait") });
      event(draft, "rate.limited", { lang: draft.lang });
    }
    return true;
  }

  private turn(draft: Draft): Turn {
    const last = draft.replies.at(-1);
    if (last?.options && !draft.state.options) draft.state.options = last.options.map((o) => o.id);
    if (!draft.state.noticed && !draft.forget && !draft.languageUnknown && draft.replies.length > 0) privacyNotice(this.deps, draft);
    // Forgetting deletes the open question with the rest (the store's forget statements); nothing is added.
    if (!draft.forget) draft.state.pending ??= draft.questions.stillOpen();
    const questions = draft.forget ? [] : draft.questions.changes();
    const { lang, replies, state, events, forget, handoff, relay, leftCase } = draft;
    return { lang, replies, state, events, forget, handoff, relay, leftCase, questions };
  }

  /**
   * A voice note, photo, sticker... : say politely what the bot understands, in the person's language, and show
   * the menu. A shared location gives the country when it can be told.
   */
  private media(draft: Draft, media: NonNullable<InboundMessage["media"]>, country: CountryCode | null): void {
    const t = this.t(draft);
    event(draft, "message.media", { media, lang: draft.lang });
    if (media === "location" && country) {
      draft.state.country = country;
      event(draft, "country.set", { country, source: "location" });
      draft.replies.push(menuReply(t, t("country.saved", { country: countryName(t, country) })));
      return;
    }
    draft.replies.push(menuReply(t, t("error.unsupported_media")));
  }

  /** "2" answers the last list of options. */
  private numberedOption(text: string, state: ConversationState): string | undefined {
    const number = /^\s*(\d{1,2})\s*[.)]?\s*$/.exec(text);
    if (!number || !state.options) return undefined;
    return state.options[Number(number[1]) - 1];
  }

  private async choose(draft: Draft, id: string, awaiting: ConversationState["awaiting"]): Promise<void> {
    const [kind, value] = id.split(":", 2) as [string, string | undefined];
    if (kind === "lang" && isLang(value)) return this.setLanguage(draft, value);
    if (kind === "country" && value === "ask") {
      draft.state.awaiting = "country";
      draft.replies.push(countryReply(this.t(draft)));
      return;
    }
    if (kind === "country" && (isCountryCode(value) || value === "none")) {
      return this.setCountry(draft, value === "none" ? null : value, draft.state.pendingIntent);
    }
    if (kind === "intent" && isIntentId(value)) return this.act(draft, value, null);
    const rating = ratingOption(id);
    if (rating) return rate(this.deps, draft, rating.intent, rating.useful);
    if (id === option.yes && awaiting === "delete_confirm") return forget(this.deps, draft);
    if (id === option.no && awaiting === "delete_confirm") {
      draft.replies.push({ text: this.t(draft)("delete.cancelled") });
      return;
    }
    draft.replies.push(menuReply(this.t(draft)));
  }

  private async converse(draft: Draft, awaiting: ConversationState["awaiting"]): Promise<void> {
    const { state, message } = draft;
    if (awaiting === "delete_confirm" && (isYes(message.text) || isNo(message.text))) {
      return this.choose(draft, isYes(message.text) ? option.yes : option.no, awaiting);
    }
    const reading = await this.deps.interpreter.interpret(message.text, { current: state.lang, hint: message.langHint });
    if (!reading.language.supported && !state.langChosen) {
      const text = [MESSAGES.es.language.other, MESSAGES.en.language.other].join("\n");
      draft.replies.push(languageReply(text));
      draft.languageUnknown = true;
      this.record(draft, reading);
      return;
    }
    // An explicit choice always wins over detection.
    draft.lang = state.langChosen && state.lang ? state.lang : reading.language.lang;
    if (state.lang !== draft.lang) state.lang = draft.lang;
    this.record(draft, reading);
    if (awaiting === "country" && state.pendingIntent && !reading.handoff && (reading.country || reading.intent === null)) {
      return this.setCountry(draft, reading.country, state.pendingIntent, reading.country === null);
    }
    // "estoy en costa rica" on its own is the person telling us where they are, not a question.
    if (reading.country && !reading.handoff && reading.decision.kind !== "answer" && isCountryStatement(message.text)) {
      return this.setCountry(draft, reading.country, undefined);
    }
    if (reading.country && reading.country !== state.country) {
      state.country = reading.country;
      event(draft, "country.set", { country: reading.country, source: "message" });
    }
    if (reading.decision.kind === "clarify" && !reading.handoff) {
      const reply = clarifyReply(this.t(draft), this.deps.content, reading.decision.options, draft.lang);
      if (reply) {
        draft.replies.push(reply);
        state.awaiting = "clarify";
        state.pending = draft.questions.open("clarify", draft.lang, reading.decision.intent, reading);
        return;
      }
    }
    if (reading.intent === null) {
      draft.replies.push(menuReply(this.t(draft), this.t(draft)("fallback")));
      draft.questions.fallback(draft.lang, reading);
      return;
    }
    return this.act(draft, reading.intent, reading);
  }

  /** Acts on a decided intent: hands off, answers, or runs a conversation step. */
  private async act(draft: Draft, intent: IntentId, reading: Interpretation | null): Promise<void> {
    const t = this.t(draft);
    const { state } = draft;
    if (isHandoffIntent(intent)) return handOff(this.deps, draft, intent, reading);
    switch (intent) {
      case "chat.greeting":
        draft.replies.push(menuReply(t, t("greeting")));
        return;
      case "chat.menu":
        draft.replies.push(menuReply(t));
        return;
      case "chat.thanks": {
        // Thanks after an answer that may be rated: ask whether it was useful (WhatsApp and SMS: "1" / "2").
        const rateable = draft.questions.rateable();
        if (rateable) {
          draft.replies.push(ratingReply(t, rateable, t("thanks")));
          draft.questions.carry();
        } else draft.replies.push(menuButtonReply(t, t("thanks")));
        return;
      }
      case "chat.language": {
        const named = namedLanguage(draft.message.text);
        if (named && reading) return this.setLanguage(draft, named);
        draft.replies.push(languageReply(t("language.ask")));
        return;
      }
      case "privacy.info":
        return showPrivacy(this.deps, draft);
      case "privacy.delete":
        return askToForget(this.deps, draft);
      default:
        break;
    }
    if (COUNTRY_DEPENDENT.has(intent) && !state.country) {
      state.pendingIntent = intent;
      state.awaiting = "country";
      draft.replies.push(countryReply(t));
      // The question is kept now, while its text is here: the answer that follows the country may be rated.
      if (reading) state.pending = draft.questions.open("answer", draft.lang, intent, reading);
      return;
    }
    this.answer(draft, intent, reading);
  }

  /**
   * A vetted answer. Given the reading of a free-text question, the answer may be rated: the question is kept
   * (redacted) until the person rates it or moves on. Without one (the country just given, "MORE"), an answer to
   * the question kept earlier may still be rated.
   */
  private answer(draft: Draft, intent: IntentId, reading: Interpretation | null, detail = false): void {
    const t = this.t(draft);
    const entry = this.deps.content.answer(intent, draft.lang, draft.state.country, t);
    const reply: Reply = entry ? contentReply(t, entry, this.deps.content, detail) : { text: t("answer.missing") };
    draft.replies.push(reply);
    if (entry) {
      draft.state.lastAnswer = intent;
      if (reading) draft.state.pending = draft.questions.open("answer", draft.lang, intent, reading);
      if (reading ? draft.state.pending : draft.questions.reshown(intent)) reply.rate = intent;
    }
    event(draft, "answer.sent", { intent, lang: draft.lang, country: draft.state.country ?? null, found: Boolean(entry) });
  }

  private setLanguage(draft: Draft, lang: Lang): void {
    draft.lang = lang;
    draft.state.lang = lang;
    draft.state.langChosen = true;
    event(draft, "language.chosen", { lang });
    draft.replies.push(menuReply(this.t(draft), this.t(draft)("language.changed")));
  }

  private setCountry(draft: Draft, country: CountryCode | null, pending: IntentId | undefined, notUnderstood = false): void {
    const t = this.t(draft);
    draft.state.pendingIntent = undefined;
    if (country) {
      draft.state.country = country;
      event(draft, "country.set", { country, source: "choice" });
      draft.replies.push({ text: t("country.saved", { country: countryName(t, country) }) });
    } else if (notUnderstood) {
      draft.replies.push({ text: t("country.not_understood") });
    }
    if (pending) this.answer(draft, pending, null);
    else draft.replies.push(menuReply(t));
  }

  private record(draft: Draft, reading: Interpretation): void {
    event(draft, "message.interpreted", {
      lang: reading.language.lang,
      langSupported: reading.language.supported,
      intent: reading.intent,
      decision: reading.decision.kind,
      confidence: Math.round(reading.confidence * 1000) / 1000,
      handoff: reading.handoff,
      safety: reading.safety?.category ?? null,
    });
  }
}
