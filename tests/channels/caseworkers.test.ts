import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.js";
import { reannounceP1 } from "../../src/channels/case-actions.js";
import type { Service } from "../../src/service.js";
import { isPrivacyNotice, useFakeProviders, channelService, messageSid, newUpdateId, postTelegram, postTwilio, waitForOutbox, WHATSAPP_FROM } from "../support/service.js";
import { tempDir } from "../support/temp.js";

const GROUP = -1001777;
const CASEWORKER = 42;
const STRANGER = 99;

/** A WhatsApp user in danger, the caseworkers' Telegram group, the relay both ways, closing, rating. */
describe("caseworkers on Telegram", () => {
  const fakes = useFakeProviders();
  let service: Service;
  afterEach(async () => {
    await service?.close();
  });

  const env = { CASEWORKER_CHAT_ID: String(GROUP), CASEWORKER_TELEGRAM_IDS: `${CASEWORKER}, 43` };
  const person = "whatsapp:+50760000030";
  const say = (Body: string) => postTwilio(service, { MessageSid: messageSid(), From: person, To: WHATSAPP_FROM, Body, NumMedia: "0" });
  // What the person is sent, past the first-contact privacy notice.
  const toPerson = () => fakes.twilio.messages().filter((m) => m.To === person && !isPrivacyNotice(m.Body)).map((m) => m.Body ?? "");
  const inGroup = () => fakes.telegram.calls("sendMessage").filter((c) => Number(c.params.chat_id) === GROUP);
  const groupUpdate = (from: number, extra: Record<string, unknown>) => ({
    update_id: newUpdateId(),
    message: { message_id: newUpdateId(), date: 1764000000, chat: { id: GROUP, type: "supergroup", title: "Casos", is_forum: true }, from: { id: from, is_bot: false, first_name: "Ana" }, ...extra },
  });
  const button = (from: number, data: string) => ({
    update_id: newUpdateId(),
    callback_query: { id: `cb${newUpdateId()}`, chat_instance: "c", data, from: { id: from, is_bot: false, first_name: "Ana" }, message: { message_id: 1, date: 1, chat: { id: GROUP, type: "supergroup", title: "Casos" } } },
  });
  const settled = () => waitForOutbox(service, (items) => items.length > 0 && items.every((i) => i.status === "sent" || i.status === "failed"));

  it("opens a topic with the case card, relays both ways, and hands the person back to the bot on close", async () => {
    service = await channelService(fakes, { env });
    await say("auxilio nos perdimos en la selva");
    await settled();
    expect(toPerson()).toHaveLength(1); // the safety reply
    const [topic] = fakes.telegram.calls("createForumTopic");
    expect(topic!.params).toMatchObject({ chat_id: GROUP });
    expect(topic!.params.name).toMatch(/^🔴 P1 #\d+ urgent\.danger ES/);
    const card = inGroup()[0]!;
    expect(card.params.text).toContain("auxilio nos perdimos en la selva");
    expect(card.params.reply_markup.inline_keyboard[0].map((b: { text: string }) => b.text)).toEqual(["Claim", "Close"]);
    const thread = card.params.message_thread_id as number;
    const [opened] = await service.store.listCases();

    // The person writes again: the bot stays quiet, the words go to the topic.
    await say("estamos cerca de un rio, somos 4");
    await settled();
    expect(toPerson()).toHaveLength(1);
    expect(inGroup().at(-1)!.params).toMatchObject({ message_thread_id: thread, text: "🗣 estamos cerca de un rio, somos 4" });

    // A stranger in the group is not relayed; the caseworker is, on the person's own channel.
    await postTelegram(service, groupUpdate(STRANGER, { message_thread_id: thread, text: "hola soy un extraño" }));
    await postTelegram(service, groupUpdate(CASEWORKER, { message_thread_id: thread, text: "Hola, soy Ana de Brújula. ¿Están todos bien? ¿Tienen agua?" }));
    await settled();
    expect(toPerson().slice(1)).toEqual(["Hola, soy Ana de Brújula. ¿Están todos bien? ¿Tienen agua?"]);

    // Claim, then close: the person is told, asked to rate, and the bot is back.
    await postTelegram(service, button(STRANGER, `case:close:${opened!.id}`));
    expect((await service.store.getCase({ id: opened!.id }))!.status).toBe("open");
    await postTelegram(service, button(CASEWORKER, `case:claim:${opened!.id}`));
    expect(await service.store.getCase({ id: opened!.id })).toMatchObject({ status: "claimed", claimedBy: `telegram:${CASEWORKER}` });
    await postTelegram(service, button(CASEWORKER, `case:close:${opened!.id}`));
    await settled();
    expect(toPerson().slice(-2)).toEqual([
      "Nuestro equipo cerró tu conversación. El asistente automático está de vuelta: escribe MENÚ para ver los temas.",
      "¿Te sirvió nuestra ayuda? Responde con un número del 1 (nada) al 5 (mucho).",
    ]);
    expect(inGroup().map((c) => c.params.text)).toEqual(expect.arrayContaining(["Claimed by Ana.", "Closed by Ana. The person is back with the bot."]));
    await say("5");
    await settled();
    expect(toPerson().at(-1)).toMatch(/^Gracias por contarnos\./);
    expect(await service.store.listEvents({ type: "case.rated" })).toMatchObject([{ userKey: "", data: { score: 5 } }]);
    await say("hola");
    await settled();
    expect(toPerson().at(-1)).toMatch(/Responde con un número/);
    const transcript = (await service.store.getCase({ id: opened!.id }))!.transcript;
    expect(transcript.map((l) => [l.from ?? "person", l.text])).toEqual([
      ["person", "auxilio nos perdimos en la selva"],
      ["person", "estamos cerca de un rio, somos 4"],
      ["caseworker", "Hola, soy Ana de Brújula. ¿Están todos bien? ¿Tienen agua?"],
    ]);
    expect((await service.store.caseAudit(opened!.id)).map((a) => a.action)).toEqual(["opened", "replied", "claimed", "closed"]);
  });

  it("'menu' takes the person back to the bot, and a cry for help still gets the safety reply at once", async () => {
    service = await channelService(fakes, { env });
    const before = toPerson().length;
    await say("quiero hablar con una persona");
    await settled();
    await say("nos quieren matar ayuda");
    await settled();
    const replies = toPerson().slice(before);
    expect(replies).toHaveLength(2);
    expect(replies[1]).toMatch(/peligro/i);
    expect((await service.store.listCases({ status: "open" }))[0]).toMatchObject({ priority: 1, category: "urgent.danger" });
    await say("menu");
    await settled();
    expect(toPerson().at(-1)).toContain("Volviste al asistente automático");
    expect(inGroup().at(-1)!.params.text).toContain("The person went back to the automatic assistant");
  });

  it("keeps a claimed case with its claimer, honours a deletion request during a case, and never sends half an entity", async () => {
    service = await channelService(fakes, { env });
    const from = "whatsapp:+50760000033";
    const tell = (Body: string) => postTwilio(service, { MessageSid: messageSid(), From: from, To: WHATSAPP_FROM, Body, NumMedia: "0" });
    await tell("me agarro migracion");
    await settled();
    const [opened] = await service.store.listCases();
    await postTelegram(service, button(CASEWORKER, `case:claim:${opened!.id}`));
    await postTelegram(service, button(43, `case:claim:${opened!.id}`));
    await postTelegram(service, button(43, `case:close:${opened!.id}`));
    expect(await service.store.getCase({ id: opened!.id })).toMatchObject({ status: "claimed", claimedBy: `telegram:${CASEWORKER}` });

    // A long message full of "&" arrives whole, in pieces that are each valid HTML.
    await tell("&".repeat(5000));
    await settled();
    const thread = (await service.store.getCase({ id: opened!.id }))!.threadId;
    const relayed = inGroup().filter((c) => c.params.message_thread_id === thread);
    const amps = relayed.map((c) => String(c.params.text)).filter((t) => t.includes("&amp;"));
    expect(amps.length).toBeGreaterThan(1);
    for (const text of amps) expect(text).toMatch(/^(🗣 )?(&amp;)+$/);
    expect(amps.join("").split("&amp;").length - 1).toBe(5000);

    await tell("borra mis datos");
    await settled();
    expect(fakes.twilio.messages().filter((m) => m.To === from).at(-1)!.Body).toMatch(/borre/i);
    await tell("si");
    await settled();
    // The case stays closed and tied to nobody; the caseworkers read why in its topic.
    expect(await service.store.listCases()).toEqual([expect.objectContaining({ id: opened!.id, status: "closed", userKey: `deleted:${opened!.id}`, transcript: [] })]);
    expect(inGroup().at(-1)!.params).toMatchObject({ message_thread_id: thread, text: expect.stringContaining("asked for their data to be deleted") });
  });

  it("announces an unclaimed P1 case again to the whole group, until someone claims it, and keeps an audit", async () => {
    service = await channelService(fakes, { env });
    await postTwilio(service, { MessageSid: messageSid(), From: "whatsapp:+50760000031", To: WHATSAPP_FROM, Body: "me quiero matar", NumMedia: "0" });
    await settled();
    const [opened] = await service.store.listCases();
    const start = Date.parse(opened!.openedAt);
    const at = (minutes: number) => new Date(start + minutes * 60_000);
    const logger = createLogger("silent");
    const kick = () => service.sender.kick();
    expect(await reannounceP1(service.store, 10, logger, kick, at(5))).toBe(0);
    expect(await reannounceP1(service.store, 10, logger, kick, at(11))).toBe(1);
    expect(await reannounceP1(service.store, 10, logger, kick, at(15))).toBe(0);
    await settled();
    const notice = inGroup().find((c) => String(c.params.text).startsWith("⚠️ P1 case #"))!;
    expect(notice.params.message_thread_id).toBeUndefined();
    await postTelegram(service, button(CASEWORKER, `case:claim:${opened!.id}`));
    expect(await reannounceP1(service.store, 10, logger, kick, at(30))).toBe(0);
    expect((await service.store.caseAudit(opened!.id)).map((a) => [a.actor, a.action])).toEqual([
      ["system", "opened"],
      ["system", "reannounced"],
      [`telegram:${CASEWORKER}`, "claimed"],
    ]);
  });

  it("loses nothing when the app stops mid-flow: the case, its topic and the relay all survive a restart", async () => {
    const databasePath = join(tempDir("cases"), "brujula.sqlite");
    const from = "whatsapp:+50760000032";
    fakes.telegram.goDown(502);
    service = await channelService(fakes, { env, databasePath });
    await postTwilio(service, { MessageSid: messageSid(), From: from, To: WHATSAPP_FROM, Body: "nos tienen encerrados y nos quitaron los pasaportes", NumMedia: "0" });
    await postTwilio(service, { MessageSid: messageSid(), From: from, To: WHATSAPP_FROM, Body: "estamos en una casa cerca del terminal", NumMedia: "0" });
    await service.close();

    fakes.telegram.recover();
    const topicsBefore = fakes.telegram.calls("createForumTopic").length;
    service = await channelService(fakes, { env, databasePath });
    await settled();
    expect(fakes.telegram.calls("createForumTopic").length).toBe(topicsBefore + 1);
    const [open] = await service.store.listCases({ status: "open" });
    expect(open!.category).toBe("urgent.trafficking");
    const relayed = inGroup().filter((c) => c.params.message_thread_id === open!.threadId).map((c) => c.params.text as string);
    expect(relayed.at(-1)).toBe("🗣 estamos en una casa cerca del terminal");
    await postTelegram(service, groupUpdate(CASEWORKER, { message_thread_id: open!.threadId, text: "Estamos avisando a la OIM. ¿Pueden decirnos el nombre del lugar?" }));
    await settled();
    expect(fakes.twilio.messages().filter((m) => m.To === from).at(-1)!.Body).toBe("Estamos avisando a la OIM. ¿Pueden decirnos el nombre del lugar?");
  });
});
