import { Bot, webhookCallback, type Context } from "grammy";
import type { Message, Update, UserFromGetMe } from "grammy/types";
import { Hono, type Context as HonoContext } from "hono";
import { countryAt } from "../../core/countries.js";
import type { InboundMessage, MediaKind } from "../../core/engine/types.js";
import { userKeyFor } from "../../core/identity.js";
import { isLang, type Lang } from "../../core/languages.js";
import { bodyCap, constantTimeEqual, fieldProblems, problem } from "../../web/http.js";
import type { ChannelDeps } from "../deps.js";
import { CaseActions } from "../case-actions.js";
import { CASE_ACTION, type CaseworkerConfig } from "./caseworkers.js";
import { renderTelegram } from "./render.js";
import { updateSchema } from "./update.js";

export interface TelegramConfig {
  token: string;
  secretToken: string;
  apiRoot: string;
  /** Known bot identity (Workers): skips the getMe call on the first update. */
  botInfo?: UserFromGetMe | undefined;
  /** The caseworkers' group, when configured. */
  caseworkers?: CaseworkerConfig | undefined;
}

/** Commands, as shown in Telegram's menu, and the option each one chooses in the engine. */
export const COMMANDS = {
  start: "intent:chat.greeting",
  menu: "menu",
  language: "intent:chat.language",
  country: "country:ask",
  human: "intent:human.request",
  delete: "intent:privacy.delete",
  privacy: "intent:privacy.info",
} as const;

function commandOption(text: string): string | undefined {
  const match = /^\/([a-z]+)(?:@\w+)?(?:\s|$)/i.exec(text.trim());
  const name = match?.[1]?.toLowerCase();
  return name && name in COMMANDS ? COMMANDS[name as keyof typeof COMMANDS] : undefined;
}

function mediaKind(msg: Message): MediaKind | undefined {
  if (msg.location || msg.venue) return "location";
  if (msg.voice || msg.video_note) return "voice";
  if (msg.audio) return "audio";
  if (msg.photo) return "photo";
  if (msg.video || msg.animation) return "video";
  if (msg.sticker) return "sticker";
  if (msg.document) return "document";
  if (msg.contact) return "contact";
  return msg.text === undefined ? "other" : undefined;
}

/** Telegram's language_code ("pt-br", "fr") as a hint, when it is one of ours. */
function languageHint(code: string | undefined): Lang | undefined {
  const base = code?.slice(0, 2).toLowerCase();
  return isLang(base) ? base : undefined;
}

/**
 * The Telegram bot: private chats only (groups, channels and edited messages are ignored safely), text,
 * commands, buttons (callback queries, always answered) and media. Replies are never sent from here: they are
 * written to the outbox with the turn, and the sender delivers them.
 */
export function createTelegramBot(config: TelegramConfig, deps: ChannelDeps): Bot {
  const bot = new Bot(config.token, {
    // grammY only needs the bot's identity to match "/command@name", which we parse ourselves: the id from the
    // token is enough, and no getMe call is made per process or per request (Workers, offline tests).
    botInfo: config.botInfo ?? placeholderBotInfo(config.token),
    // answerCallbackQuery rides back on the webhook's own HTTP response: no extra request, no extra latency.
    client: { apiRoot: config.apiRoot, canUseWebhookReply: (method) => method === "answerCallbackQuery" },
  });

  bot.use(async (ctx: Context) => {
    const update = ctx.update;
    if (update.callback_query) {
      // Stop the button's spinner whatever happens next.
      await ctx.answerCallbackQuery().catch(() => undefined);
    }
    const msg = update.message ?? update.callback_query?.message;
    const from = update.message?.from ?? update.callback_query?.from;
    if (config.caseworkers && msg && msg.chat.id === config.caseworkers.chatId) {
      await caseworkerUpdate(update, config.caseworkers, deps);
      return;
    }
    if (!msg || !from || from.is_bot || msg.chat.type !== "private") {
      deps.logger.debug("telegram.ignored", { kinds: Object.keys(update).filter((k) => k !== "update_id") });
      return;
    }
    const data = update.callback_query?.data;
    let text = "";
    let optionId: string | undefined;
    let media: MediaKind | undefined;
    let locationCountry: InboundMessage["locationCountry"];
    if (update.callback_query) {
      if (typeof data !== "string" || data.length === 0 || data.length > 64) return;
      optionId = data;
    } else if (update.message) {
      const message = update.message;
      text = message.text ?? message.caption ?? "";
      optionId = message.text ? commandOption(message.text) : undefined;
      if (!message.text) media = mediaKind(message);
      if (message.caption) media = undefined;
      const point = message.location ?? message.venue?.location;
      if (point) locationCountry = countryAt(point.latitude, point.longitude);
    }
    const userKey = await userKeyFor("telegram", String(from.id), deps.idSecret, deps.hmac);
    const chatId = String(msg.chat.id);
    const turn = await deps.conversations.handleDelivered(
      { channel: "telegram", userKey, text, optionId, media, locationCountry, langHint: languageHint(from.language_code), at: new Date() },
      { externalId: String(update.update_id), address: chatId, render: (t) => renderTelegram(t, userKey, chatId) },
    );
    if (turn) deps.kick();
    deps.logger.debug("telegram.update", { duplicate: turn === null, media: media ?? null, option: optionId !== undefined });
  });
  return bot;
}

/**
 * An update from the caseworkers' group: a message in a case's topic is relayed to the person; Claim and Close
 * act on the case. Only allowlisted caseworkers are heard; everything else in the group is ignored.
 */
async function caseworkerUpdate(update: Update, group: CaseworkerConfig, deps: ChannelDeps): Promise<void> {
  const from = update.message?.from ?? update.callback_query?.from;
  if (!from || from.is_bot || !group.allowed.has(from.id)) {
    deps.logger.warn("caseworker.ignored", { reason: from?.is_bot ? "bot" : "not_allowed" });
    return;
  }
  const who = `${from.first_name}`.slice(0, 60);
  const actions = new CaseActions(deps.store, deps, true);
  const action = CASE_ACTION.exec(update.callback_query?.data ?? "");
  if (action) {
    const caseId = Number(action[2]);
    const done = action[1] === "claim" ? await actions.claim(caseId, `telegram:${from.id}`, who) : await actions.close(caseId, `telegram:${from.id}`, who);
    deps.logger.info("caseworker.action", { action: action[1], caseId, done: done !== null });
    return;
  }
  const message = update.message;
  const thread = message?.message_thread_id;
  // A photo's caption is relayed as text; "//" starts a remark between caseworkers, never sent to the person.
  const text = message?.text ?? message?.caption;
  if (!text || thread === undefined || text.trimStart().startsWith("//")) return;
  const found = await deps.store.getCase({ threadId: thread });
  if (!found || found.status === "closed") return;
  const outcome = await actions.reply(found, `telegram:${from.id}`, text, String(update.update_id));
  if (outcome === "unreachable") deps.logger.warn("caseworker.unreachable", { caseId: found.id, channel: found.channel });
  deps.logger.debug("caseworker.reply", { caseId: found.id, outcome });
}

function placeholderBotInfo(token: string): UserFromGetMe {
  return {
    id: Number(token.split(":")[0]) || 0,
    is_bot: true,
    first_name: "Brújula",
    username: "brujula_bot",
    can_join_groups: false,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
  } as UserFromGetMe;
}

/**
 * grammY's Hono adapter with one fix: grammY hands `respond` an already serialised JSON string, and the stock
 * adapter passes it to `c.json`, which serialises it again, so Telegram would receive a JSON string instead of
 * the method call (grammY 1.46). Here the string goes out as the body, as JSON.
 */
const honoAdapter = (c: HonoContext) => {
  let resolveResponse!: (response: Response) => void;
  return {
    get update() {
      return c.req.json() as Promise<Update>;
    },
    header: c.req.header("x-telegram-bot-api-secret-token"),
    end: () => resolveResponse(c.body("")),
    respond: (json: string) => resolveResponse(c.body(json, 200, { "content-type": "application/json" })),
    unauthorized: () => resolveResponse(c.body("", 401)),
    handlerReturn: new Promise<Response>((resolve) => (resolveResponse = resolve)),
  };
};

/** POST /webhooks/telegram: secret token checked first (401), then the JSON and the fields we read (400), then grammY. */
export function telegramRoutes(bot: Bot, config: TelegramConfig, deps: ChannelDeps): Hono {
  const app = new Hono();
  // The turn is committed before the answer; grammY's default 10 s limit would turn a slow turn into a 500.
  const handle = webhookCallback(bot, honoAdapter, { secretToken: config.secretToken, timeoutMilliseconds: 25_000 });
  app.post(
    "/telegram",
    bodyCap(deps.maxBodyBytes, "The update is too large."),
    async (c, next) => {
      if (!constantTimeEqual(c.req.header("x-telegram-bot-api-secret-token") ?? "", config.secretToken)) {
        return c.json(problem("unauthorized", "Wrong or missing X-Telegram-Bot-Api-Secret-Token."), 401);
      }
      let update: unknown;
      try {
        update = await c.req.json();
      } catch {
        return c.json(problem("invalid_json", "The update is not valid JSON."), 400);
      }
      const parsed = updateSchema.safeParse(update);
      if (!parsed.success) {
        return c.json(problem("invalid_update", "Expected a Telegram Update (update_id, and a message or callback query as the Bot API sends them).", fieldProblems(parsed.error.issues)), 400);
      }
      await next();
    },
    (c) => handle(c),
  );
  return app;
}
