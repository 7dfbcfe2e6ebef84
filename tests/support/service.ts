import { loadConfig } from "../../src/config.js";
import type { OutboxItem } from "../../src/core/store/outbox.js";
import { createLogger, type Logger } from "../../src/log.js";
import { createService, type Service, type ServiceOptions } from "../../src/service.js";
import { escapeHtml } from "../../src/channels/telegram/render.js";
import { toGsmWhereClose } from "../../src/channels/twilio/gsm.js";
import { createTranslator } from "../../src/core/i18n/index.js";
import { LANGS } from "../../src/core/languages.js";
import { TEST_SECRET } from "./app.js";
import { tempDir } from "./temp.js";
import { TEST_DATA_KEY } from "./keys.js";
import { realAssistant } from "./assistant.js";
import { afterAll, beforeAll } from "vitest";
import { FakeTelegram } from "./fake-telegram.js";
import { FakeTwilio } from "./fake-twilio.js";
import { providerEnv } from "./server-process.js";
import { newUpdateId, signedTelegram, signedTwilio, WEBHOOK_SECRET } from "./webhooks.js";

export { messageSid, newUpdateId, SMS_FROM, textUpdate, WEBHOOK_SECRET, WHATSAPP_FROM } from "./webhooks.js";
export { providerEnv } from "./server-process.js";

/**
 * The whole Node service (createService, as `npm start` builds it) configured through environment variables
 * to talk to local fake providers, exactly as an operator would point it at a local Bot API server.
 */
export async function channelService(
  fakes: { telegram?: FakeTelegram; twilio?: FakeTwilio },
  options: { databasePath?: string; env?: Record<string, string>; logger?: Logger; sender?: ServiceOptions["sender"] } = {},
): Promise<Service> {
  // A data directory of its own (the id secret, the data key file) unless the test gives one; removed after the
  // test file, closed or not.
  const dataDir = options.env?.DATA_DIR === undefined ? tempDir("test") : undefined;
  const env: Record<string, string> = {
    ...(dataDir && { DATA_DIR: dataDir }),
    ID_HASH_KEY: TEST_SECRET,
    DATA_KEY: TEST_DATA_KEY,
    LOG_LEVEL: "silent",
    FASTTEXT: "off",
    INTERPRETER_THREADS: "0",
    ...providerEnv(fakes),
    ...options.env,
  };
  const service = await createService(loadConfig(env), options.logger ?? createLogger("silent"), {
    assistant: await realAssistant(),
    databasePath: options.databasePath ?? ":memory:",
    sender: { pollMs: 25, baseBackoffMs: 40, leaseMs: 15_000, ...options.sender },
  });
  return service;
}

/**
 * The privacy notice of first contact when it is a message of its own (after a safety reply), as every channel
 * renders it: tests about other things look past it.
 */
const NOTICES = new Set(
  LANGS.flatMap((lang) => {
    const notice = createTranslator()(lang)("privacy.notice", { days: 30, caseDays: 90 });
    return [notice, escapeHtml(notice), toGsmWhereClose(notice)];
  }),
);
export const isPrivacyNotice = (text: unknown) => NOTICES.has(String(text));

/** Local fake Telegram and Twilio servers for the enclosing describe block (started before, stopped after). */
export function useFakeProviders(): { telegram: FakeTelegram; twilio: FakeTwilio } {
  const fakes = {} as { telegram: FakeTelegram; twilio: FakeTwilio };
  beforeAll(async () => {
    fakes.telegram = await new FakeTelegram().start();
    fakes.twilio = await new FakeTwilio().start();
  });
  afterAll(async () => {
    await fakes.telegram.stop();
    await fakes.twilio.stop();
  });
  return fakes;
}

/** A person pressing an inline button in a private chat. */
export function buttonUpdate(data: string, from: { id: number; language_code?: string }, callbackId = `cb-${newUpdateId()}`) {
  return {
    update_id: newUpdateId(),
    callback_query: {
      id: callbackId,
      chat_instance: "ci",
      data,
      from: { is_bot: false, first_name: "P", ...from },
      message: { message_id: 1, date: 1764000000, chat: { id: from.id, type: "private", first_name: "P" }, text: "menu" },
    },
  };
}

export async function postTelegram(service: Service, update: unknown, secret: string | null = WEBHOOK_SECRET) {
  const { path, headers, body } = signedTelegram(update, secret);
  const res = await service.app.request(path, { method: "POST", headers, body });
  return { status: res.status, text: await res.text() };
}

export async function postTwilio(service: Service, params: Record<string, string>, options: { path?: string; signature?: string | null } = {}) {
  const { path, headers, body } = signedTwilio(params, options);
  const res = await service.app.request(path, { method: "POST", headers, body });
  return { status: res.status, text: await res.text(), contentType: res.headers.get("content-type") };
}

/** Waits until the outbox satisfies `predicate` (the sender works in the background). */
export async function waitForOutbox(service: Service, predicate: (items: OutboxItem[]) => boolean, timeoutMs = 5_000): Promise<OutboxItem[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const items = await service.store.getOutbox();
    if (predicate(items)) return items;
    if (Date.now() > deadline) throw new Error(`outbox condition not met: ${JSON.stringify(items.map((i) => [i.status, i.attempts, i.lastError]))}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
