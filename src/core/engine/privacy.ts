import { event, type Draft, type EngineDeps } from "./draft.js";
import { option, yesNoReply } from "./replies.js";

// What the person is told about their data, and erasing it when they ask.

/** Days message text and closed cases are kept: the service's settings, else the defaults of RETENTION_DAYS and
 * CASE_RETENTION_DAYS. */
function retention(deps: EngineDeps): { days: number; caseDays: number } {
  return deps.retention ?? { days: 30, caseDays: 90 };
}

/**
 * First contact: one line on what is kept and for how long, in the person's language (so not while the bot
 * still asks which language). After a safety reply, as a message of its own, never before it; otherwise at the
 * top of the first reply, in the same message (one notification, one SMS part fewer).
 */
export function privacyNotice(deps: EngineDeps, draft: Draft): void {
  // Only the variable the notice uses: strings given exactly their placeholders are filled without i18next.
  const notice = deps.translator(draft.lang)("privacy.notice", { days: retention(deps).days });
  if (draft.handoff) draft.replies.push({ text: notice });
  else draft.replies[0] = { ...draft.replies[0]!, text: `${notice}\n\n${draft.replies[0]!.text}`, preface: notice };
  draft.state.noticed = true;
}

/** "privacy": the whole notice, with the way to erase everything. */
export function showPrivacy(deps: EngineDeps, draft: Draft): void {
  const t = deps.translator(draft.lang);
  draft.replies.push({
    text: t("privacy.full", retention(deps)),
    options: [
      { id: option.intent("privacy.delete"), label: t("commands.delete") },
      { id: option.menu, label: t("options.menu") },
    ],
  });
}

/** "delete my data": asked once more, yes or no, before anything is erased. */
export function askToForget(deps: EngineDeps, draft: Draft): void {
  const t = deps.translator(draft.lang);
  draft.replies.push(yesNoReply(t, t("delete.confirm")));
  draft.state.awaiting = "delete_confirm";
}

/** Confirmed: the store erases the person with this turn; only the count of deletions, tied to nobody, stays. */
export function forget(deps: EngineDeps, draft: Draft): void {
  draft.forget = true;
  draft.state = {};
  event(draft, "privacy.deleted", {}, "untied");
  draft.replies.push({ text: deps.translator(draft.lang)("delete.done") });
}
