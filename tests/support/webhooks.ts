import { twilioSignature } from "./fake-twilio.js";

/**
 * Webhooks as Telegram and Twilio send them: the update or form, signed the way the provider signs it. Used by
 * the in-process tests (through `app.request`), the crash tests and the benchmarks (over HTTP to a child process).
 */
export const WEBHOOK_SECRET = "telegram-webhook-secret-for-tests";
export const WHATSAPP_FROM = "whatsapp:+14155550100";
export const SMS_FROM = "+14155550199";

/** A webhook ready to POST: the path under the server's base URL, the provider's headers and the body. */
export interface SignedWebhook {
  path: string;
  headers: Record<string, string>;
  body: string;
}

let nextUpdateId = 1000;
export function newUpdateId(): number {
  return nextUpdateId++;
}

/** A private-chat text message update from a person. */
export function textUpdate(text: string, from: { id: number; language_code?: string } = { id: 5001 }, updateId = newUpdateId()) {
  return {
    update_id: updateId,
    message: { message_id: updateId, date: 1764000000, chat: { id: from.id, type: "private", first_name: "P" }, from: { is_bot: false, first_name: "P", ...from }, text },
  };
}

/** Telegram's webhook: the JSON update with the secret token we registered (null: no header at all). */
export function signedTelegram(update: unknown, secret: string | null = WEBHOOK_SECRET): SignedWebhook {
  return {
    path: "/webhooks/telegram",
    headers: { "content-type": "application/json", ...(secret !== null ? { "x-telegram-bot-api-secret-token": secret } : {}) },
    body: typeof update === "string" ? update : JSON.stringify(update),
  };
}

/** Twilio's webhook: the form, signed over PUBLIC_URL and the path (a given signature, or null for none). */
export function signedTwilio(params: Record<string, string>, options: { path?: string; signature?: string | null } = {}): SignedWebhook {
  const path = options.path ?? "/webhooks/twilio";
  const signature = options.signature === undefined ? twilioSignature(path, params) : options.signature;
  return {
    path,
    headers: { "content-type": "application/x-www-form-urlencoded", ...(signature !== null ? { "x-twilio-signature": signature } : {}) },
    body: new URLSearchParams(params).toString(),
  };
}

let nextSid = 1;
export function messageSid(): string {
  return `SM${String(nextSid++).padStart(32, "a")}`;
}

/** An inbound WhatsApp or SMS text from `from` ("whatsapp:+…" or "+…") to our number on that channel. */
export function twilioMessage(sid: string, from: string, body: string): Record<string, string> {
  return { MessageSid: sid, From: from, To: from.startsWith("whatsapp:") ? WHATSAPP_FROM : SMS_FROM, Body: body, NumMedia: "0" };
}
