import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Service } from "../../src/service.js";
import { FakeTelegram } from "../support/fake-telegram.js";
import { buttonUpdate, isPrivacyNotice, channelService, newUpdateId, postTelegram, textUpdate, waitForOutbox } from "../support/service.js";

/** Telegram end to end: a webhook in through the real app, the reply out at a fake Bot API over real HTTP. */
describe("Telegram", () => {
  let telegram: FakeTelegram;
  let service: Service;
  beforeAll(async () => {
    telegram = await new FakeTelegram().start();
  });
  afterAll(async () => {
    await telegram.stop();
  });
  afterEach(async () => {
    await service?.close();
    telegram.recover();
    telegram.requests.length = 0;
  });
  // What the person is sent, past the first-contact privacy notice (its own test below).
  const sent = () => telegram.calls("sendMessage").filter((c) => !isPrivacyNotice(c.params.text));

  it("refuses updates without the right secret token, and processes nothing", async () => {
    service = await channelService({ telegram });
    expect((await postTelegram(service, textUpdate("hola"), null)).status).toBe(401);
    expect((await postTelegram(service, textUpdate("hola"), "wrong-secret-wrong-secret")).status).toBe(401);
    expect(await service.store.getOutbox()).toEqual([]);
    expect(await service.store.listEvents()).toEqual([]);
  });

  it("greets in Spanish with the menu as buttons", async () => {
    service = await channelService({ telegram });
    expect((await postTelegram(service, textUpdate("hola buenas", { id: 7001, language_code: "es" }))).status).toBe(200);
    await telegram.waitFor(() => sent().length === 1);
    // First contact: the privacy notice at the top of the same message.
    const [message] = telegram.calls("sendMessage");
    expect(message!.params.text).toMatch(/^🔒 Lo que escribes aquí se guarda cifrado[^\n]+\n\n/);
    expect(message!.params.chat_id).toBe("7001");
    expect(message!.params.parse_mode).toBe("HTML");
    expect(message!.params.text).toContain("Brújula");
    const buttons = message!.params.reply_markup.inline_keyboard.flat();
    expect(buttons[0]).toEqual({ text: "Selva del Darién: riesgos", callback_data: "intent:risk.darien" });
  });

  it("answers a button through the callback query, then sends the vetted answer in HTML", async () => {
    service = await channelService({ telegram });
    const update = buttonUpdate("intent:risk.darien", { id: 7002, language_code: "es" }, "cb-1");
    const res = await postTelegram(service, update);
    expect(res.status).toBe(200);
    // The callback is answered on the webhook's own response (grammY webhook reply): no extra request.
    expect(JSON.parse(res.text)).toMatchObject({ method: "answerCallbackQuery", callback_query_id: "cb-1" });
    await telegram.waitFor(() => sent().length === 1);
    expect(sent()[0]!.params.text).toMatch(/^🔒 [^\n]+\n\n<b>.+Darién.*<\/b>/);
  });

  it("processes a retried update once", async () => {
    service = await channelService({ telegram });
    const update = textUpdate("hola", { id: 7003 });
    expect((await postTelegram(service, update)).status).toBe(200);
    expect((await postTelegram(service, update)).status).toBe(200);
    await telegram.waitFor(() => sent().length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(sent()).toHaveLength(1);
  });

  it("uses language_code as a hint, and commands choose directly", async () => {
    service = await channelService({ telegram });
    await postTelegram(service, textUpdate("/start", { id: 7004, language_code: "fr" }));
    await telegram.waitFor(() => sent().length === 1);
    expect(sent()[0]!.params.text).toContain("Bonjour");
    await postTelegram(service, textUpdate("/human@brujula_test_bot", { id: 7004, language_code: "fr" }));
    await telegram.waitFor(() => sent().length === 2);
    expect(sent()[1]!.params.text).toMatch(/personne/i);
    expect(await service.store.listEvents({ type: "handoff.requested" })).toHaveLength(1);
  });

  it("/privacy shows the full notice in the person's language, with the retention set by the operator", async () => {
    service = await channelService({ telegram }, { env: { RETENTION_DAYS: "14", CASE_RETENTION_DAYS: "60" } });
    await postTelegram(service, textUpdate("/privacy", { id: 7010, language_code: "pt" }));
    await telegram.waitFor(() => telegram.calls("sendMessage").length === 1);
    const [full] = telegram.calls("sendMessage").map((c) => c.params);
    expect(full!.text).toMatch(/^🔒 O que você escreve aqui .* 14 dias[^\n]+\n\n🔒 Sua privacidade/);
    expect(full!.text).toContain("60 dias");
    expect(full!.reply_markup.inline_keyboard.flat()[0].callback_data).toBe("intent:privacy.delete");
  });

  it("answers a voice note politely in the person's language, with the menu", async () => {
    service = await channelService({ telegram });
    await postTelegram(service, textUpdate("bonjou", { id: 7005 }));
    await telegram.waitFor(() => sent().length === 1);
    const voice = textUpdate("", { id: 7005 }) as any;
    delete voice.message.text;
    voice.message.voice = { file_id: "v1", file_unique_id: "u1", duration: 3 };
    expect((await postTelegram(service, voice)).status).toBe(200);
    await telegram.waitFor(() => sent().length === 2);
    expect(sent()[1]!.params.text).toContain("Mwen ka li sèlman mesaj ekri");
    expect(sent()[1]!.params.reply_markup.inline_keyboard.length).toBeGreaterThan(3);
  });

  it("takes the country from a shared location", async () => {
    service = await channelService({ telegram });
    const located = textUpdate("", { id: 7006, language_code: "es" }) as any;
    delete located.message.text;
    located.message.location = { latitude: 9.93, longitude: -84.08 };
    await postTelegram(service, located);
    await telegram.waitFor(() => sent().length === 1);
    expect(sent()[0]!.params.text).toContain("Costa Rica");
    expect(await service.store.listEvents({ type: "country.set" })).toHaveLength(1);
  });

  it("ignores group chats, edited messages and channel posts safely", async () => {
    service = await channelService({ telegram });
    const group = textUpdate("hola", { id: 7007 }) as any;
    group.message.chat = { id: -100123, type: "supergroup", title: "g" };
    const edited = { update_id: newUpdateId(), edited_message: textUpdate("hola").message };
    const post = { update_id: newUpdateId(), channel_post: { message_id: 1, date: 1, chat: { id: -100, type: "channel", title: "c" }, text: "hi" } };
    for (const update of [group, edited, post]) expect((await postTelegram(service, update)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sent()).toEqual([]);
    expect(await service.store.getOutbox()).toEqual([]);
  });

  it("rejects malformed bodies with 400 and oversized ones with 413", async () => {
    service = await channelService({ telegram });
    expect((await postTelegram(service, "{not json")).status).toBe(400);
    expect((await postTelegram(service, { hello: "world" })).status).toBe(400);
    // Fields we read, of the wrong type or missing, are refused before any code relies on them (they were 500s).
    expect((await postTelegram(service, { update_id: newUpdateId(), message: { from: { id: 1, is_bot: false, first_name: "P" } } })).status).toBe(400);
    expect((await postTelegram(service, textUpdate(5 as unknown as string))).status).toBe(400);
    expect((await postTelegram(service, textUpdate("hola", { id: 1, language_code: [] as unknown as string }))).status).toBe(400);
    expect((await postTelegram(service, textUpdate("a".repeat(200_000)))).status).toBe(413);
  });

  it("rides out a Bot API outage and a 429, then delivers exactly once", async () => {
    service = await channelService({ telegram });
    telegram.failNext(1, { status: 429, body: { ok: false, error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } } });
    telegram.failNext(2, { status: 502, body: { ok: false, error_code: 502, description: "Bad Gateway" } });
    await postTelegram(service, textUpdate("hola", { id: 7008 }));
    const [item] = await waitForOutbox(service, (items) => items[0]?.status === "sent", 8_000);
    expect(item!.attempts).toBe(4);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(sent()).toHaveLength(1);
  });

  it("acknowledges at once even when the Bot API is slow, and delivers once it answers", async () => {
    service = await channelService({ telegram });
    telegram.failNext(1, { stallMs: 4_000 });
    const started = performance.now();
    expect((await postTelegram(service, textUpdate("hola", { id: 7009 }))).status).toBe(200);
    // Not a speed target: the acknowledgement must simply not wait for the stalled provider call.
    expect(performance.now() - started).toBeLessThan(2_000);
    await telegram.waitFor(() => sent().length === 1, 10_000);
  });

  it("marks a blocked bot as a permanent failure instead of retrying forever", async () => {
    service = await channelService({ telegram });
    await postTelegram(service, textUpdate("hola", { id: 403 }));
    await waitForOutbox(service, (items) => items[0]?.status === "failed");
    const [item] = await service.store.getOutbox();
    expect(item).toMatchObject({ status: "failed" });
    expect(item!.lastError).toMatch(/403/);
  });

  const sentTo = (chat: number) => sent().filter((c) => String(c.params.chat_id) === String(chat));

  it("rate limit per person: answers up to the limit, says 'please wait' once, then stays silent, while others are answered", async () => {
    service = await channelService({ telegram }, { env: { RATE_LIMIT_PER_MINUTE: "3" } });
    const flooder = 8101;
    for (let i = 0; i < 6; i++) expect((await postTelegram(service, textUpdate("hola", { id: flooder, language_code: "es" }))).status).toBe(200);
    await postTelegram(service, textUpdate("hello there", { id: 8102, language_code: "en" }));
    await telegram.waitFor(() => sentTo(8102).length >= 1 && sentTo(flooder).length >= 4);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const texts = sentTo(flooder).map((c) => String(c.params.text));
    expect(texts).toHaveLength(4);
    expect(texts[3]).toContain("Recibí muchos mensajes seguidos");
    expect(texts.filter((t) => t.includes("Recibí muchos mensajes seguidos"))).toHaveLength(1);
    expect((await service.store.listEvents({ type: "rate.limited" })).length).toBe(1);

    // Over the limit, a cry for help still gets the safety reply and a case.
    await postTelegram(service, textUpdate("me quieren matar", { id: flooder, language_code: "es" }));
    await telegram.waitFor(() => sentTo(flooder).length >= 5);
    expect((await service.store.listCases()).some((c) => c.priority === 1)).toBe(true);
  });
});
