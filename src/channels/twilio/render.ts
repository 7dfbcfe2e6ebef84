import { sourceLabel } from "../../core/engine/replies.js";
import type { Reply, Turn } from "../../core/engine/types.js";
import type { Translate } from "../../core/i18n/index.js";
import type { NewOutboxItem } from "../../core/store/outbox.js";
import { splitText, withNumberedOptions } from "../text.js";
import { capacity, isGsm7, smsLength, toGsmWhereClose } from "./gsm.js";

/** What the Twilio transport sends: a free-form body, or an approved template (Content SID). */
export interface TwilioPayload {
  to: string;
  from: string;
  body?: string;
  contentSid?: string;
}

/** Twilio refuses bodies over 1600 characters. */
export const MAX_BODY = 1600;
/** An SMS part is at most this many segments: long enough to read, short enough for cheap phones to reassemble. */
const SEGMENTS_PER_SMS = 3;

/** WhatsApp: the engine's *bold* is WhatsApp's own; options become a numbered list. */
export function whatsappBodies(reply: Reply, t: Translate): string[] {
  return splitText(withNumberedOptions(reply.text, reply, t), MAX_BODY);
}

/**
 * SMS: plain and short. A content answer becomes its title, its summary (written for SMS), its first source
 * (or the sources of the phone numbers it gives) and "reply MORE" for the whole answer (which then comes as the full text); formatting marks go; characters
 * with a GSM-7 look-alike are swapped; long text is split into parts of at most three segments, numbered "(1/2)".
 */
export function smsBodies(reply: Reply, t: Translate): string[] {
  const cited = reply.content?.sources.slice(0, reply.content.cite).map((s) => `${sourceLabel(s.name)} ${s.url}`) ?? [];
  const core =
    reply.content && !reply.detail
      ? [reply.preface ?? "", reply.content.title, reply.content.summary, cited.length ? t("answer.sources", { sources: cited.join("\n") }) : "", reply.content.more ? t("answer.more") : ""]
          .filter(Boolean)
          .join("\n")
      : reply.text;
  const text = toGsmWhereClose(withNumberedOptions(core.replace(/\*([^*\n]+)\*/g, "$1"), reply, t));
  const limit = capacity(isGsm7(text), SEGMENTS_PER_SMS);
  if (smsLength(text) <= limit) return [text];
  // Leave room for "(i/n) ": as many digits as the number of parts needs.
  let parts: string[] = [];
  for (let digits = 1; digits < 5; digits++) {
    parts = splitText(text, limit - (2 * digits + 4), smsLength);
    if (String(parts.length).length <= digits) break;
  }
  return parts.map((p, i) => `(${i + 1}/${parts.length}) ${p}`);
}

export function renderTwilio(turn: Turn, channel: "whatsapp" | "sms", userKey: string, to: string, from: string, t: Translate): NewOutboxItem[] {
  const bodies = turn.replies.flatMap((reply) => (channel === "sms" ? smsBodies(reply, t) : whatsappBodies(reply, t)));
  return bodies.map((body) => ({ channel, userKey, payload: { to, from, body } satisfies TwilioPayload }));
}
