import { Api, GrammyError, HttpError } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import { option } from "../../core/engine/replies.js";
import type { QuickReply } from "../../core/engine/types.js";
import type { IntentId } from "../../core/intents.js";
import type { OutboxItem, SendOutcome } from "../../core/store/outbox.js";
import { platformFetch, type HttpFetch } from "../http-fetch.js";
import { RetryableError, type Transport } from "../outbox-sender.js";
import type { TelegramPayload } from "./render.js";

/** Telegram's limit for a button's label is generous; a short label is kinder on a small screen. */
const MAX_LABEL = 60;

/** One button a row (labels are long), then 👍 / 👎 side by side under an answer that may be rated. */
export function inlineKeyboard(options: readonly QuickReply[], rate?: IntentId): InlineKeyboardButton[][] {
  const rows = options.map((o) => {
    const chars = Array.from(o.label);
    return [{ text: chars.length > MAX_LABEL ? `${chars.slice(0, MAX_LABEL - 1).join("")}…` : o.label, callback_data: o.id }];
  });
  if (rate) rows.push([{ text: "👍", callback_data: option.rate(true, rate) }, { text: "👎", callback_data: option.rate(false, rate) }]);
  return rows;
}

/**
 * The Bot API client for sending, on a fetch that keeps connections alive (grammY's default on Node, node-fetch,
 * opens a new one per call).
 */
export function telegramApi(token: string, apiRoot: string, fetch: HttpFetch = platformFetch): Api {
  return new Api(token, { apiRoot, timeoutSeconds: 10, fetch: fetch as never });
}

/**
 * Sends outbox items with the Bot API through grammY's client (so TELEGRAM_API_ROOT, a local Bot API server
 * or a test double, is honoured the same way for everything).
 */
export class TelegramTransport implements Transport {
  constructor(private readonly api: Api) {}

  static create(token: string, apiRoot: string, fetch?: HttpFetch): TelegramTransport {
    return new TelegramTransport(telegramApi(token, apiRoot, fetch));
  }

  async send(item: OutboxItem): Promise<SendOutcome> {
    const payload = item.payload as unknown as TelegramPayload;
    const rows = inlineKeyboard(payload.keyboard ?? [], payload.rate);
    const reply_markup = rows.length > 0 ? { inline_keyboard: rows } : undefined;
    try {
      const sent = await this.api.sendMessage(payload.chatId, payload.html, {
        parse_mode: "HTML",
        link_preview_options: { is_disabled: true },
        ...(reply_markup ? { reply_markup } : {}),
      });
      return { status: "sent", providerId: String(sent.message_id) };
    } catch (error) {
      if (error instanceof GrammyError) {
        if (error.error_code === 429) throw new RetryableError("telegram 429", error.parameters.retry_after ?? 5, true);
        if (error.error_code >= 500) throw new RetryableError(`telegram ${error.error_code}`);
        // A revoked or mistyped token is a configuration problem to fix, not a reason to lose the reply.
        if (error.error_code === 401 || error.error_code === 404) throw new RetryableError(`telegram ${error.error_code}: token refused, check TELEGRAM_BOT_TOKEN`);
        if (error.error_code === 400 && /can't parse entities/i.test(error.description)) {
          // Our HTML should always parse; if it ever does not, the words matter more than the bold.
          const plain = payload.html.replace(/<[^>]+>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
          const sent = await this.api.sendMessage(payload.chatId, plain, reply_markup ? { reply_markup } : {});
          return { status: "sent", providerId: String(sent.message_id) };
        }
        // 403: the person blocked the bot or deleted their account; 400: chat not found. Retrying cannot help.
        return { status: "failed", error: `telegram ${error.error_code}: ${error.description.slice(0, 120)}` };
      }
      if (error instanceof HttpError) throw new RetryableError(`telegram network: ${error.message.slice(0, 120)}`);
      throw error;
    }
  }
}
