import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { segmentCount } from "../../src/channels/twilio/gsm.js";
import { createTranslator } from "../../src/core/i18n/index.js";
import type { Service } from "../../src/service.js";
import {
  buttonUpdate, channelService, isPrivacyNotice, messageSid, postTelegram, postTwilio, SMS_FROM, textUpdate, useFakeProviders, waitForOutbox, WHATSAPP_FROM,
} from "../support/service.js";

const es = createTranslator()("es");

/** "Was this useful?" end to end: webhooks in through the real app, replies out at the fake providers. */
describe("rating an answer", () => {
  const fakes = useFakeProviders();
  let service: Service;
  beforeAll(async () => {
    service = await channelService(fakes);
  });
  afterAll(async () => {
    await service?.close();
  });
  const ratings = () => service.store.listEvents({ type: "answer.rated" });

  describe("on Telegram", () => {
    const sentTo = (chatId: number) => fakes.telegram.calls("sendMessage").filter((c) => c.params.chat_id === String(chatId) && !isPrivacyNotice(c.params.text));
    const lastSent = async (chatId: number, count: number) => {
      await fakes.telegram.waitFor(() => sentTo(chatId).length >= count);
      return sentTo(chatId)[count - 1]!.params;
    };
    const keyboard = (params: Record<string, any>) => (params.reply_markup?.inline_keyboard ?? []) as { text: string; callback_data: string }[][];

    it("draws 👍/👎 under an answer to a question; 👎 is counted as not useful, tied to nobody", async () => {
      const from = { id: 8101, language_code: "es" };
      await postTelegram(service, textUpdate("asilo", from));
      const answer = await lastSent(from.id, 1);
      expect(answer.text).toMatch(/<b>.*asilo.*<\/b>/i);
      const rows = keyboard(answer);
      // Its follow-ups one a row as before, then the rating row.
      expect(rows.at(-2)).toEqual([{ text: es("options.menu"), callback_data: "menu" }]);
      expect(rows.at(-1)).toEqual([
        { text: "👍", callback_data: "rate:up:protection.asylum" },
        { text: "👎", callback_data: "rate:down:protection.asylum" },
      ]);

      await postTelegram(service, buttonUpdate("rate:down:protection.asylum", from));
      expect((await lastSent(from.id, 2)).text).toBe(es("rating.thanks"));
      expect(await ratings()).toMatchObject([{ userKey: "", channel: "telegram", data: { intent: "protection.asylum", lang: "es", country: null, useful: false } }]);

      // Pressed again (or the other button): thanked, not counted twice.
      await postTelegram(service, buttonUpdate("rate:up:protection.asylum", from));
      await lastSent(from.id, 3);
      expect(await ratings()).toHaveLength(1);
    });

    it("draws no rating row under a menu, or under an answer chosen by button", async () => {
      const from = { id: 8102, language_code: "es" };
      await postTelegram(service, textUpdate("hola", from));
      await postTelegram(service, buttonUpdate("intent:risk.darien", from));
      const [menu, answer] = [await lastSent(from.id, 1), await lastSent(from.id, 2)];
      for (const params of [menu, answer]) expect(keyboard(params).flat().some((b) => b.callback_data.startsWith("rate:"))).toBe(false);
    });

    it("asks after a thanks, if the answer was not rated yet", async () => {
      const from = { id: 8103, language_code: "es" };
      await postTelegram(service, textUpdate("asilo", from));
      await postTelegram(service, textUpdate("muchas gracias", from));
      const offer = await lastSent(from.id, 2);
      expect(offer.text).toContain(es("rating.ask"));
      expect(keyboard(offer).map((row) => row.map((b) => b.callback_data))).toEqual([["rate:up:protection.asylum"], ["rate:down:protection.asylum"], ["menu"]]);
      expect(keyboard(offer)[0]![0]!.text).toBe(es("rating.useful"));
    });
  });

  describe("on WhatsApp and SMS", () => {
    const toPerson = (to: string) => fakes.twilio.messages().filter((m) => m.To === to && !isPrivacyNotice(m.Body)).map((m) => m.Body!);
    /** What the person receives in return (an SMS in several parts comes back as one text). */
    const say = async (from: string, body: string) => {
      const count = toPerson(from).length;
      await postTwilio(service, { MessageSid: messageSid(), From: from, To: from.startsWith("whatsapp:") ? WHATSAPP_FROM : SMS_FROM, Body: body, NumMedia: "0" });
      const items = await waitForOutbox(service, (all) => all.every((i) => i.status === "sent" || i.status === "failed"));
      const sent = items.filter((i) => i.userKey === items.at(-1)!.userKey).length;
      await fakes.twilio.waitFor(() => fakes.twilio.messages().filter((m) => m.To === from).length >= sent);
      return toPerson(from).slice(count).map((b) => b.replace(/^\(\d+\/\d+\) /, "")).join("\n");
    };

    it("leaves the answer's numbered follow-ups as they were: \"1\" picks the first", async () => {
      const person = "whatsapp:+12025550141";
      const answer = await say(person, "asilo");
      expect(answer).not.toContain(es("rating.ask"));
      expect(answer).toMatch(/\n1\. .+\n2\. /);
      expect(await say(person, "1")).toBe(`${es("country.ask")}\n${es("options.reply_number")}\n${[
        "Colombia", "Panamá", "Costa Rica", "Nicaragua", "Honduras", "Guatemala", "México", "Estados Unidos",
      ].map((c, i) => `${i + 1}. ${c}`).join("\n")}\n9. ${es("options.dont_know")}`);
      expect((await ratings()).filter((e) => e.channel === "whatsapp")).toEqual([]);
    });

    it("offers 1/2 after \"gracias\" on WhatsApp, and \"2\" says not useful", async () => {
      const person = "whatsapp:+12025550142";
      await say(person, "asilo");
      const offer = await say(person, "gracias");
      expect(offer).toBe(`${es("thanks")}\n\n${es("rating.ask")}\n${es("options.reply_number")}\n1. ${es("rating.useful")}\n2. ${es("rating.not_useful")}\n3. ${es("options.menu")}`);
      expect(await say(person, "2")).toMatch(new RegExp(`^${es("rating.thanks")}`));
      const rated = (await ratings()).filter((e) => e.channel === "whatsapp");
      expect(rated).toMatchObject([{ userKey: "", data: { intent: "protection.asylum", lang: "es", useful: false } }]);
    });

    it("takes a bare 👍 on WhatsApp as useful", async () => {
      const person = "whatsapp:+12025550143";
      await say(person, "asilo");
      expect(await say(person, "👍🏽")).toMatch(new RegExp(`^${es("rating.thanks")}`));
      expect((await ratings()).filter((e) => e.channel === "whatsapp" && e.data.useful === true)).toHaveLength(1);
    });

    it("keeps the rating open over MORE on SMS, with plain labels", async () => {
      const person = "+12025550144";
      const summary = await say(person, "asilo");
      expect(summary).toMatch(/MAS/);
      await say(person, "MAS");
      const offer = await say(person, "gracias");
      expect(offer).toMatch(/\n1\. Si, me sirvio\n2\. No me sirvio\n3\. Menu$/);
      expect(segmentCount(offer)).toBe(1);
      await say(person, "1");
      expect((await ratings()).filter((e) => e.channel === "sms")).toMatchObject([{ userKey: "", data: { useful: true } }]);
    });
  });
});
