import type { Hono } from "hono";
import type { Config } from "../config.js";
import type { Channel } from "../core/ports.js";
import type { Store } from "../core/store/store.js";
import type { ChannelDeps } from "./deps.js";
import type { HttpFetch } from "./http-fetch.js";
import type { Transport } from "./outbox-sender.js";
import type { Turn } from "../core/engine/types.js";
import type { CaseRecord } from "../core/store/cases.js";
import type { NewOutboxItem } from "../core/store/outbox.js";
import { CaseworkerTransport, type CaseworkerConfig } from "./telegram/caseworkers.js";
import { renderTelegram } from "./telegram/render.js";
import { telegramApi, TelegramTransport } from "./telegram/transport.js";
import { renderTwilio } from "./twilio/render.js";
import { createTelegramBot, telegramRoutes } from "./telegram/webhook.js";
import { TwilioTransport } from "./twilio/transport.js";
import { twilioRoutes } from "./twilio/webhook.js";

/**
 * The configured channels: their webhook routers and their outbox transports. A channel without its
 * credentials is off (its route answers 503) and the reason is returned for the start-up log.
 */
export interface Channels {
  routers: { telegram?: Hono | undefined; twilio?: Hono | undefined };
  transports: Partial<Record<Channel, Transport>>;
  enabled: Channel[];
  disabled: { channel: string; reason: string }[];
}

export type ChannelConfig = Pick<
  Config,
  | "CASEWORKER_CHAT_ID" | "CASEWORKER_TELEGRAM_IDS"
  | "PUBLIC_URL" | "TELEGRAM_BOT_TOKEN" | "TELEGRAM_WEBHOOK_SECRET" | "TELEGRAM_API_ROOT" | "TWILIO_ACCOUNT_SID" | "TWILIO_AUTH_TOKEN"
  | "TWILIO_WHATSAPP_FROM" | "TWILIO_SMS_FROM" | "TWILIO_API_BASE_URL" | "TWILIO_WHATSAPP_TEMPLATE_SID"
>;

function twilioReady(config: ChannelConfig): boolean {
  return Boolean(config.TWILIO_ACCOUNT_SID && config.TWILIO_AUTH_TOKEN && config.PUBLIC_URL && (config.TWILIO_WHATSAPP_FROM || config.TWILIO_SMS_FROM));
}

/** The caseworkers' Telegram group, when Telegram, the group and the allowlist are all configured. */
export function caseworkerGroup(config: ChannelConfig): CaseworkerConfig | undefined {
  if (!config.TELEGRAM_BOT_TOKEN || !config.TELEGRAM_WEBHOOK_SECRET || config.CASEWORKER_CHAT_ID === undefined || !config.CASEWORKER_TELEGRAM_IDS) {
    return undefined;
  }
  return { chatId: config.CASEWORKER_CHAT_ID, allowed: new Set(config.CASEWORKER_TELEGRAM_IDS.split(",").map((id) => Number(id.trim()))) };
}

/** The outbox transports of the configured channels, calling the providers with `fetch` (the platform's unless given). */
export function createTransports(config: ChannelConfig, store: Store, fetch?: HttpFetch): Partial<Record<Channel, Transport>> {
  const transports: Partial<Record<Channel, Transport>> = {};
  if (config.TELEGRAM_BOT_TOKEN && config.TELEGRAM_WEBHOOK_SECRET) {
    transports.telegram = TelegramTransport.create(config.TELEGRAM_BOT_TOKEN, config.TELEGRAM_API_ROOT, fetch);
    const group = caseworkerGroup(config);
    if (group) transports.caseworker = new CaseworkerTransport(telegramApi(config.TELEGRAM_BOT_TOKEN, config.TELEGRAM_API_ROOT, fetch), group, store);
  }
  if (twilioReady(config)) {
    const transport = new TwilioTransport(
      {
        accountSid: config.TWILIO_ACCOUNT_SID!,
        authToken: config.TWILIO_AUTH_TOKEN!,
        baseUrl: config.TWILIO_API_BASE_URL,
        statusCallbackUrl: `${config.PUBLIC_URL!.replace(/\/$/, "")}/webhooks/twilio/status`,
        whatsappTemplateSid: config.TWILIO_WHATSAPP_TEMPLATE_SID,
        fetch,
      },
      store,
    );
    if (config.TWILIO_WHATSAPP_FROM) transports.whatsapp = transport;
    if (config.TWILIO_SMS_FROM) transports.sms = transport;
  }
  return transports;
}

/** A caseworker's words, or the bot's closing words, rendered for the person on their own channel. */
function personRenderer(config: ChannelConfig, deps: ChannelDeps, store: Store) {
  return async (c: CaseRecord, texts: readonly string[]): Promise<NewOutboxItem[]> => {
    const contact = await store.getContact(c.userKey, c.channel);
    if (!contact) return [];
    const turn: Turn = { lang: c.lang, replies: texts.map((text) => ({ text })), state: {}, events: [], forget: false };
    if (c.channel === "telegram") return renderTelegram(turn, c.userKey, contact.address);
    const from = c.channel === "whatsapp" ? config.TWILIO_WHATSAPP_FROM : c.channel === "sms" ? config.TWILIO_SMS_FROM : undefined;
    if (!from || (c.channel !== "whatsapp" && c.channel !== "sms")) return [];
    return renderTwilio(turn, c.channel, c.userKey, contact.address, from, deps.translator(c.lang));
  };
}

export function createChannels(config: ChannelConfig, deps: ChannelDeps, store: Store): Channels {
  const channels: Channels = { routers: {}, transports: createTransports(config, store, deps.fetch), enabled: [], disabled: [] };
  deps.toPerson = personRenderer(config, deps, store);

  if (config.TELEGRAM_BOT_TOKEN && config.TELEGRAM_WEBHOOK_SECRET) {
    const telegram = {
      token: config.TELEGRAM_BOT_TOKEN,
      secretToken: config.TELEGRAM_WEBHOOK_SECRET,
      apiRoot: config.TELEGRAM_API_ROOT,
      caseworkers: caseworkerGroup(config),
    };
    channels.routers.telegram = telegramRoutes(createTelegramBot(telegram, deps), telegram, deps);
    channels.enabled.push("telegram");
    if (telegram.caseworkers) channels.enabled.push("caseworker");
    else channels.disabled.push({ channel: "caseworker", reason: "CASEWORKER_CHAT_ID and CASEWORKER_TELEGRAM_IDS are needed for the caseworker group" });
  } else {
    channels.disabled.push({ channel: "telegram", reason: "TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET are needed" });
  }

  if (twilioReady(config)) {
    channels.routers.twilio = twilioRoutes(
      {
        authToken: config.TWILIO_AUTH_TOKEN!,
        publicUrl: config.PUBLIC_URL!.replace(/\/$/, ""),
        whatsappFrom: config.TWILIO_WHATSAPP_FROM,
        smsFrom: config.TWILIO_SMS_FROM,
      },
      deps,
    );
    if (config.TWILIO_WHATSAPP_FROM) channels.enabled.push("whatsapp");
    else channels.disabled.push({ channel: "whatsapp", reason: "TWILIO_WHATSAPP_FROM is not set" });
    if (config.TWILIO_SMS_FROM) channels.enabled.push("sms");
    else channels.disabled.push({ channel: "sms", reason: "TWILIO_SMS_FROM is not set" });
  } else {
    channels.disabled.push({
      channel: "whatsapp+sms",
      reason: "TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, PUBLIC_URL and TWILIO_WHATSAPP_FROM or TWILIO_SMS_FROM are needed",
    });
  }
  return channels;
}
