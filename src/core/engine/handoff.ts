import { availability, type Schedule } from "../availability.js";
import type { Translate } from "../i18n/index.js";
import { handoffPriority, isHandoffIntent, type IntentId } from "../intents.js";
import type { Interpretation } from "../interpret.js";
import { event, type Draft, type EngineDeps } from "./draft.js";
import { contentReply, menuButtonReply, menuReply, option } from "./replies.js";
import { isLeaveWord } from "./words.js";

// Handing a person to the caseworkers, and the conversation while one has it.

const DAY_KEYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;

/**
 * The safety reply of a handoff, when a person will answer, and the case request for the store (written with the
 * reply, in one transaction).
 */
export function handOff(deps: EngineDeps, draft: Draft, intent: IntentId, reading: Interpretation | null): void {
  const t = deps.translator(draft.lang);
  const entry = deps.content.answer(intent, draft.lang, draft.state.country, t);
  // The vetted safety reply says what to do now and that a person will answer; without one, the system
  // strings say the same.
  if (entry) draft.replies.push(contentReply(t, entry, null));
  else draft.replies.push({ text: t("handoff.emergency") }, { text: t("handoff.ack") });
  // When a person will answer, honestly: within working hours the usual wait, outside them when they return.
  const when = deps.schedule ? whenAnswered(t, deps.schedule, draft.message.at) : null;
  if (when) draft.replies.push({ text: when });
  draft.state.handoffSince ??= draft.message.at.toISOString();
  // With caseworkers connected, they now have the conversation; without them the bot keeps answering.
  if (deps.caseworkers) draft.state.withCaseworker = true;
  const priority = handoffPriority(intent);
  draft.handoff = { intent, priority };
  event(draft, "handoff.requested", {
    intent,
    priority,
    lang: draft.lang,
    country: draft.state.country ?? null,
    safety: reading?.safety?.category ?? null,
  });
}

function whenAnswered(t: Translate, schedule: Schedule, at: Date): string {
  const now = availability(schedule, at);
  if (now.open) return t("handoff.when_open", { minutes: now.waitMinutes });
  if (!now.opensAt) return t("handoff.when_closed_unknown");
  const day = t(`days.${DAY_KEYS[now.opensAt.day]}`);
  const time = `${String(Math.floor(now.opensAt.minutes / 60)).padStart(2, "0")}:${String(now.opensAt.minutes % 60).padStart(2, "0")}`;
  const zone = schedule.timeZone.split("/").pop()!.replace(/_/g, " ");
  return t("handoff.when_closed", { day, time, zone });
}

/**
 * A caseworker has the conversation: the message goes to them and the bot stays quiet, except that a cry for
 * help still gets the safety reply at once, and "menu" / "bot" brings the automatic assistant back. Asking to be
 * forgotten is honoured during a case too (`act` runs it as outside a case).
 */
export async function withCaseworker(
  deps: EngineDeps,
  draft: Draft,
  act: (draft: Draft, intent: IntentId, reading: Interpretation) => Promise<void>,
): Promise<void> {
  const { message, state } = draft;
  const t = deps.translator(draft.lang);
  if (message.optionId === option.menu || isLeaveWord(message.text)) {
    state.withCaseworker = false;
    draft.leftCase = true;
    event(draft, "handoff.left", {});
    draft.replies.push(menuReply(t, t("handoff.left")));
    return;
  }
  if (message.text.trim() === "") {
    // A photo or a location cannot reach the caseworker yet: say so, so that the person writes it.
    draft.relay = `[${message.media ?? "empty"}]`;
    draft.replies.push({ text: t("handoff.media") });
    return;
  }
  const reading = await deps.interpreter.interpret(message.text, { current: state.lang, hint: message.langHint });
  if (message.optionId === option.intent("privacy.delete") || (reading.decision.kind === "answer" && reading.intent === "privacy.delete")) {
    state.withCaseworker = false;
    draft.leftCase = true;
    return act(draft, "privacy.delete", reading);
  }
  draft.relay = message.text;
  // A cry for help still gets the safety reply at once (and raises the case), as it would outside a case.
  if (reading.handoff && reading.intent && isHandoffIntent(reading.intent)) handOff(deps, draft, reading.intent, reading);
}

/** After a case: "1" to "5" rates the help, counted and tied to nobody. False when the message is no rating. */
export function rateCase(deps: EngineDeps, draft: Draft): boolean {
  const score = /^\s*([1-5])\s*$/.exec(draft.message.text)?.[1];
  if (!score) return false;
  const t = deps.translator(draft.lang);
  event(draft, "case.rated", { score: Number(score), lang: draft.lang }, "untied");
  draft.replies.push(menuButtonReply(t, t("handoff.rated")));
  return true;
}
