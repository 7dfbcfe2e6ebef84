import type { QuickReply, Turn } from "../../core/engine/types.js";
import type { IntentId } from "../../core/intents.js";
import type { NewOutboxItem } from "../../core/store/outbox.js";
import { splitText } from "../text.js";

/**
 * What the Telegram transport sends: HTML text and, on the last piece, the options as an inline keyboard (with a
 * 👍/👎 row when the answer may be rated).
 */
export interface TelegramPayload {
  chatId: string;
  html: string;
  keyboard?: QuickReply[];
  rate?: IntentId;
}

export const MAX_MESSAGE = 4096;

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The engine's *bold* (WhatsApp style) as Telegram HTML; everything else escaped. */
export function toTelegramHtml(text: string): string {
  return escapeHtml(text).replace(/\*([^*\n]+)\*/g, "<b>$1</b>");
}

/** Telegram measures the text after entity parsing; the HTML is longer, so measuring it is safe. */
export function telegramPieces(text: string): string[] {
  return splitText(text, MAX_MESSAGE, (s) => toTelegramHtml(s).length).map(toTelegramHtml);
}

export function renderTelegram(turn: Turn, userKey: string, chatId: string): NewOutboxItem[] {
  return turn.replies.flatMap((reply) => {
    const pieces = telegramPieces(reply.text);
    return pieces.map((html, i) => {
      const payload: TelegramPayload = { chatId, html };
      const last = i === pieces.length - 1;
      if (last && reply.options && reply.options.length > 0) payload.keyboard = reply.options;
      if (last && reply.rate) payload.rate = reply.rate;
      return { channel: "telegram" as const, userKey, payload: { ...payload } };
    });
  });
}
