import type { FakeTelegram } from "./fake-telegram.js";
import type { FakeTwilio } from "./fake-twilio.js";
import { signedTelegram, signedTwilio, textUpdate, twilioMessage, type SignedWebhook } from "./webhooks.js";

/**
 * The mixed traffic of the crash tests and the soak benchmark: Telegram, WhatsApp and SMS in turn, many people,
 * one message in twenty a handoff. Message `n` is always the same webhook (same update_id or MessageSid), so a
 * provider's retry of it can be rebuilt, and every reply at the fakes can be traced back to its person.
 */
export type LoadChannel = "telegram" | "whatsapp" | "sms";

export interface LoadMessage {
  n: number;
  channel: LoadChannel;
  /** Where the replies go: the Telegram chat id, or the Twilio address ("whatsapp:+…", "+…"). */
  recipient: string;
  /** The channel's own id of the person (what the server hashes into the person's key). */
  personId: string;
  /** The provider's id of the message (update_id, MessageSid): what the server deduplicates retries by. */
  externalId: string;
  handoff: boolean;
  webhook: SignedWebhook;
}

// Questions each answered with a reply (and "me quieren matar", "I need to talk to a person"… with a safety
// reply and a case): reliable triggers, checked with `npm run classify`.
const QUESTIONS = [
  "hola, es peligroso el darien?",
  "kijan pou m mande azil",
  "how do I ask for asylum in Mexico?",
  "necesito un albergue en Tapachula",
  "onde posso conseguir comida?",
  "je cherche un avocat",
];
const HANDOFFS = ["me quieren matar", "quiero hablar con una persona", "I need to talk to a person", "nos quitaron los pasaportes"];
const CHANNELS: readonly LoadChannel[] = ["telegram", "whatsapp", "sms"];
const HANDOFF_EVERY = 20;

/**
 * A fictional phone number per person: 555-0100…0199 is reserved for fiction in every North American area code,
 * and there are 800 area codes to spread people over (80,000 people).
 */
export function fictionalNumber(person: number): string {
  return `+1${200 + Math.floor(person / 100)}55501${String(person % 100).padStart(2, "0")}`;
}

/** Message `n` (from 0) of a run with `people` people: person n mod people writes it. */
export function mixedMessage(n: number, people: number): LoadMessage {
  const channel = CHANNELS[n % CHANNELS.length]!;
  const person = n % people;
  const handoff = n % HANDOFF_EVERY === HANDOFF_EVERY - 1;
  const text = handoff ? HANDOFFS[Math.floor(n / HANDOFF_EVERY) % HANDOFFS.length]! : QUESTIONS[n % QUESTIONS.length]!;
  const id = n + 1;
  if (channel === "telegram") {
    const chat = 700_000_000 + person;
    return { n, channel, recipient: String(chat), personId: String(chat), externalId: String(id), handoff, webhook: signedTelegram(textUpdate(text, { id: chat }, id)) };
  }
  const address = channel === "whatsapp" ? `whatsapp:${fictionalNumber(person)}` : fictionalNumber(person);
  const sid = `SM${String(id).padStart(32, "0")}`;
  return { n, channel, recipient: address, personId: address, externalId: sid, handoff, webhook: signedTwilio(twilioMessage(sid, address, text)) };
}

/** A reply as the fake providers received it: to whom, and what it said. */
export interface ReceivedReply {
  recipient: string;
  text: string;
}

/**
 * Takes the replies the fakes have received since the last call and forgets them there, so a long run keeps
 * its memory flat (the fakes record every request).
 */
export function takeReplies(telegram: FakeTelegram, twilio: FakeTwilio): ReceivedReply[] {
  const replies: ReceivedReply[] = [];
  for (const request of telegram.requests.splice(0)) {
    if (!request.path.endsWith("/sendMessage")) continue;
    const params = JSON.parse(request.body) as { chat_id: string | number; text: string };
    replies.push({ recipient: String(params.chat_id), text: params.text });
  }
  for (const request of twilio.requests.splice(0)) {
    if (!request.path.endsWith("/Messages.json")) continue;
    const form = new URLSearchParams(request.body);
    replies.push({ recipient: form.get("To") ?? "", text: form.get("Body") ?? "" });
  }
  return replies;
}
