import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Service } from "../../src/service.js";
import { damaged, expectHandled, hostileText, langLike, messageText, notQuiteJson } from "../support/arbitraries.js";
import { FakeTelegram } from "../support/fake-telegram.js";
import { channelService, postTelegram, WEBHOOK_SECRET } from "../support/service.js";

/** The caseworkers' group and one allowlisted caseworker, so that updates also reach the group's code path. */
const GROUP = -1009999;
const CASEWORKER = 77;

const person = fc.record({
  id: fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 5_000 }) }, { weight: 1, arbitrary: fc.constant(CASEWORKER) }),
  is_bot: fc.boolean(),
  first_name: fc.constantFrom("P", "Ana"),
  language_code: fc.option(langLike, { nil: undefined }),
});
const point = fc.record({ latitude: fc.double({ min: -90, max: 90, noNaN: true }), longitude: fc.double({ min: -180, max: 180, noNaN: true }) });
const FILE = { file_id: "f", file_unique_id: "u" };
/** What a message carries: text (commands included), a caption on a photo, a voice note, a place, a sticker... */
const content = fc.oneof(
  { weight: 6, arbitrary: fc.record({ text: messageText }) },
  fc.record({ caption: messageText, photo: fc.constant([{ ...FILE, width: 1, height: 1 }]) }),
  fc.constant({ voice: { ...FILE, duration: 1 } }),
  fc.record({ location: point }),
  fc.record({ venue: fc.record({ location: point, title: hostileText, address: hostileText }) }),
  fc.constant({ sticker: { ...FILE, type: "regular", width: 1, height: 1, is_animated: false, is_video: false } }),
  fc.constant({ contact: { phone_number: "+10000000000", first_name: "X" } }),
);
const message = fc
  .tuple(person, fc.boolean(), fc.option(fc.integer({ min: 1, max: 9_999 }), { nil: undefined }), content, fc.nat())
  .map(([from, inGroup, thread, body, id]) => ({
    message_id: id,
    date: 1764000000,
    chat: inGroup ? { id: GROUP, type: "supergroup", title: "Casos", is_forum: true } : { id: from.id, type: "private", first_name: "P" },
    from,
    ...(thread !== undefined ? { message_thread_id: thread } : {}),
    ...body,
  }));
const data = fc.oneof(fc.constantFrom("menu", "intent:risk.darien", "intent:privacy.delete", "lang:ht", "country:PA", "country:ask", "claim:1", "close:1", "yes", "no"), hostileText);
const callbackQuery = fc.record({ id: fc.string({ maxLength: 20 }), chat_instance: fc.constant("ci"), from: person, data, message });
/** An update as Telegram sends it: a message, a button pressed, or an edited message (ignored). */
const update = fc.tuple(fc.nat(), fc.oneof(
  { weight: 4, arbitrary: message.map((m) => ({ message: m })) },
  { weight: 2, arbitrary: callbackQuery.map((q) => ({ callback_query: q })) },
  { weight: 1, arbitrary: message.map((m) => ({ edited_message: m })) },
)).map(([id, body]) => ({ update_id: id, ...body }));

/** Telegram's webhook: whatever arrives with the right secret token is answered with a 2xx or 4xx. */
describe("any Telegram update", () => {
  let telegram: FakeTelegram;
  let service: Service;
  beforeAll(async () => {
    telegram = await new FakeTelegram().start();
    service = await channelService({ telegram }, { env: { CASEWORKER_CHAT_ID: String(GROUP), CASEWORKER_TELEGRAM_IDS: String(CASEWORKER) } });
  });
  afterAll(async () => {
    await service?.close();
    await telegram?.stop();
  });

  it("an update as Telegram sends it, whatever its text, is acknowledged (413 only over the body cap)", async () => {
    await fc.assert(
      fc.asyncProperty(update, async (u) => {
        const res = await postTelegram(service, u);
        const size = new TextEncoder().encode(JSON.stringify(u)).length;
        expect(res.status, res.text.slice(0, 300)).toBe(size > 64 * 1024 ? 413 : 200);
      }),
      { numRuns: 150 },
    );
  });

  it("an update with fields of the wrong type, missing or huge gets a 2xx or 4xx, never a 5xx", async () => {
    await fc.assert(fc.asyncProperty(damaged(update), async (u) => expectHandled(await postTelegram(service, u))), { numRuns: 250 });
  });

  it("any body at all with the right secret token gets a 2xx or 4xx", async () => {
    await fc.assert(fc.asyncProperty(notQuiteJson, async (body) => expectHandled(await postTelegram(service, body))), { numRuns: 100 });
  });

  it("without the right secret token nothing is read: 401 (or 413 when the body is over the cap)", async () => {
    const secret = fc.option(fc.string({ unit: "grapheme-ascii", maxLength: 300 }), { nil: null });
    await fc.assert(
      fc.asyncProperty(secret, update, async (given, u) => {
        fc.pre(given?.trim() !== WEBHOOK_SECRET);
        expect([401, 413]).toContain((await postTelegram(service, u, given)).status);
      }),
      { numRuns: 40 },
    );
  });
});
