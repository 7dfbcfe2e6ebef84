import type { Hono } from "hono";
import type { Config } from "../config.js";
import type { Channel, Store } from "../core/ports.js";
import type { ChannelDeps } from "./deps.js";
import type { Transport } from "./outbox-sender.js";
import { TelegramTransport } from "./telegram/transport.js";
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
  | "PUBLIC_URL" | "TELEGRAM_BOT_TOKEN" | "TELEGRAM_WEBHOOK_SECRET" | "TELEGRAM_API_ROOT" | "TWILIO_ACCOUNT_SID" | "TWILIO_AUTH_TOKEN"
  | "TWILIO_WHATSAPP_FROM" | "TWILIO_SMS_FROM" | "TWILIO_API_BASE_URL" | "TWILIO_WHATSAPP_TEMPLATE_SID"
>;

function twilioReady(config: ChannelConfig): boolean {
  return Boolean(config.TWILIO_ACCOUNT_SID && config.TWILIO_AUTH_TOKEN && config.PUBLIC_URL && (config.TWILIO_WHATSAPP_FROM || config.TWILIO_SMS_FROM));
}

/** The outbox transports of the configured channels (also built by the sender thread from the same config). */
export function createTransports(config: ChannelConfig, store: Store): Partial<Record<Channel, Transport>> {
  const transports: Partial<Record<Channel, Transport>> = {};
  if (config.TELEGRAM_BOT_TOKEN && config.TELEGRAM_WEBHOOK_SECRET) {
    transports.telegram = TelegramTransport.create(config.TELEGRAM_BOT_TOKEN, config.TELEGRAM_API_ROOT);
  }
  if (twilioReady(config)) {
    const transport = new TwilioTransport(
      {
        accountSid: config.TWILIO_ACCOUNT_SID!,
        authToken: config.TWILIO_AUTH_TOKEN!,
        baseUrl: config.TWILIO_API_BASE_URL,
        statusCallbackUrl: `${config.PUBLIC_URL!.replace(/\/$/, "")}/webhooks/twilio/status`,
        whatsappTemplateSid: config.TWILIO_WHATSAPP_TEMPLATE_SID,
      },
      store,
    );
    if (config.TWILIO_WHATSAPP_FROM) transports.whatsapp = transport;
    if (config.TWILIO_SMS_FROM) transports.sms = transport;
  }
  return transports;
}

export function createChannels(config: ChannelConfig, deps: ChannelDeps, store: Store): Channels {
  const channels: Channels = { routers: {}, transports: createTransports(config, store), enabled: [], disabled: [] };

  if (config.TELEGRAM_BOT_TOKEN && config.TELEGRAM_WEBHOOK_SECRET) {
    const telegram = { token: config.TELEGRAM_BOT_TOKEN, secretToken: config.TELEGRAM_WEBHOOK_SECRET, apiRoot: config.TELEGRAM_API_ROOT };
    channels.routers.telegram = telegramRoutes(createTelegramBot(telegram, deps), telegram, deps);
    channels.enabled.push("telegram");
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
