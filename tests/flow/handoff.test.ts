import { describe, expect, it } from "vitest";
import { parseSchedule } from "../../src/core/availability.js";
import { Conversations } from "../../src/core/conversation.js";
import { Engine } from "../../src/core/engine/engine.js";
import { createTranslator } from "../../src/core/i18n/index.js";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import { FakeTwilio } from "../support/fake-twilio.js";
import { realAssistant } from "../support/assistant.js";
import { channelService, messageSid, postTwilio, waitForOutbox, WHATSAPP_FROM } from "../support/service.js";
import { testSealer } from "../support/sealing.js";

async function conversations(hours: string) {
  const assistant = await realAssistant();
  const engine = new Engine({
    interpreter: assistant.interpreter,
    content: assistant.content,
    translator: createTranslator(),
    schedule: parseSchedule(hours, "America/Panama", 20),
  });
  const store = new SqliteStore(":memory:", testSealer());
  return { service: new Conversations(engine, store), store };
}

describe("a handoff opens a case and tells the person when someone will answer", () => {
  it("during working hours: the usual wait; the case is stored with the turn, priority by category", async () => {
    const { service, store } = await conversations("mon-fri 08:00-18:00");
    const turn = await service.handle({ channel: "api", userKey: "p1", text: "ayuda nos estan persiguiendo unos hombres armados", at: new Date("2026-11-25T15:00:00Z") });
    expect(turn.replies.at(-2)!.text).toBe("Alguien de nuestro equipo suele responder en unos 20 minutos.");
    // First contact: the privacy notice comes last, after everything the person must do and know now.
    expect(turn.replies.at(-1)!.text).toMatch(/^🔒/);
    const [opened] = await store.listCases({ status: "open" });
    expect(opened).toMatchObject({ userKey: "p1", channel: "api", lang: "es", category: "urgent.danger", priority: 1 });
    expect(opened!.transcript.map((l) => l.text)).toEqual(["ayuda nos estan persiguiendo unos hombres armados"]);
  });

  it("outside working hours: when the team is back, in the person's language", async () => {
    const { service } = await conversations("mon-fri 08:00-18:00");
    const turn = await service.handle({ channel: "api", userKey: "p2", text: "mwen vle pale ak yon moun", at: new Date("2026-11-29T15:00:00Z") });
    expect(turn.replies.at(-2)!.text).toBe("Ekip nou an pa konekte kounya a. L ap tounen lendi a 08:00 (lè Panama). Si w an danje, rele nimewo ijans lokal la kounya a.");
  });

  it("a second, more urgent handoff raises the open case instead of opening another", async () => {
    const { service, store } = await conversations("");
    await service.handle({ channel: "api", userKey: "p3", text: "quiero hablar con una persona", at: new Date("2026-11-25T15:00:00Z") });
    expect((await store.listCases())[0]).toMatchObject({ category: "human.request", priority: 3 });
    await service.handle({ channel: "api", userKey: "p3", text: "ya no quiero vivir", at: new Date("2026-11-25T15:01:00Z") });
    const cases = await store.listCases();
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ category: "urgent.self_harm", priority: 1 });
  });

  it("on WhatsApp the transcript holds the person's recent messages, and deleting their data deletes the case", async () => {
    const twilio = await new FakeTwilio().start();
    const service = await channelService({ twilio });
    try {
      const from = "whatsapp:+50760000020";
      const say = (Body: string) => postTwilio(service, { MessageSid: messageSid(), From: from, To: WHATSAPP_FROM, Body, NumMedia: "0" });
      await say("hola");
      await say("vamos caminando desde ayer");
      await say("auxilio nos perdimos y no tenemos agua");
      const [opened] = await service.store.listCases();
      expect(opened).toMatchObject({ channel: "whatsapp", category: "urgent.danger", priority: 1 });
      expect(opened!.transcript.map((l) => l.text)).toEqual(["hola", "vamos caminando desde ayer", "auxilio nos perdimos y no tenemos agua"]);
      await waitForOutbox(service, (items) => items.length > 0 && items.every((i) => i.status === "sent"));
      await say("borra mis datos");
      await say("si");
      // The case stays for the caseworkers' records, closed and tied to nobody, without a word of the person.
      expect(await service.store.listCases()).toEqual([expect.objectContaining({ id: opened!.id, userKey: `deleted:${opened!.id}`, status: "closed", transcript: [] })]);
      expect((await service.store.caseAudit(opened!.id)).map((a) => a.action)).toContain("deleted");
    } finally {
      await service.close();
      await twilio.stop();
    }
  });
});
