import { afterEach, describe, expect, it } from "vitest";
import { segmentCount } from "../../src/channels/twilio/gsm.js";
import { createTranslator } from "../../src/core/i18n/index.js";
import type { Service } from "../../src/service.js";
import { buttonUpdate, isPrivacyNotice, useFakeProviders, channelService, messageSid, postTelegram, postTwilio, SMS_FROM, textUpdate, WHATSAPP_FROM } from "../support/service.js";
import { allParts } from "../support/fake-twilio.js";

/**
 * Vetted answers as people receive them: the country's version, the country's sourced numbers in a safety
 * reply, follow-up buttons with "talk to a person", and on SMS the summary with "reply MORE".
 */
describe("vetted answers on the channels", () => {
  const fakes = useFakeProviders();
  let service: Service;
  const t = createTranslator()("es");
  afterEach(async () => {
    await service?.close();
    fakes.telegram.requests.length = 0;
    fakes.twilio.requests.length = 0;
  });
  // What people are sent, past the first-contact privacy notice.
  const sent = () => fakes.telegram.calls("sendMessage").filter((c) => !isPrivacyNotice(c.params.text));
  const messages = () => fakes.twilio.messages().filter((m) => !isPrivacyNotice(m.Body));
  const sms = (from: string, body: string) => ({ MessageSid: messageSid(), AccountSid: "AC", From: from, To: SMS_FROM, Body: body, NumMedia: "0" });
  const whatsapp = (from: string, body: string) => ({ MessageSid: messageSid(), AccountSid: "AC", From: `whatsapp:${from}`, To: WHATSAPP_FROM, Body: body, NumMedia: "0" });

  it("Telegram: the country's answer with follow-ups, 'talk to a person' and the menu as buttons", async () => {
    service = await channelService({ telegram: fakes.telegram });
    const library = service.assistant.content;
    await postTelegram(service, textUpdate("como pido asilo en panama", { id: 7101, language_code: "es" }));
    await fakes.telegram.waitFor(() => sent().length >= 1);
    const answer = sent().at(-1)!;
    const panama = library.answer("protection.asylum_apply", "es", "PA", t)!;
    expect(panama.country).toBe("PA");
    expect(answer.params.text).toContain(`<b>${panama.title}</b>`);
    expect(answer.params.text).toContain(panama.sources[0]!.url);
    const buttons = answer.params.reply_markup.inline_keyboard.flat() as { text: string; callback_data: string }[];
    // The person's own question, answered: the last row asks whether it was useful.
    const rating = ["rate:up:protection.asylum_apply", "rate:down:protection.asylum_apply"];
    expect(buttons.map((b) => b.callback_data)).toEqual([...panama.related.map((i) => `intent:${i}`), "intent:human.request", "menu", ...rating]);
    expect(buttons[0]!.text).toBe(library.get(panama.related[0]!, "es")!.title);
    // "Talk to a person" is a real handoff.
    await postTelegram(service, buttonUpdate("intent:human.request", { id: 7101, language_code: "es" }));
    await fakes.telegram.waitFor(() => sent().length >= 2);
    expect(sent()[1]!.params.text).toContain(library.get("human.request", "es")!.title);
    expect((await service.store.listEvents()).some((e) => e.type === "handoff.requested")).toBe(true);
  });

  it("SMS: the summary with one source and 'reply MORE'; MORE sends the whole answer", async () => {
    service = await channelService({ twilio: fakes.twilio });
    const person = "+50760000101";
    await postTwilio(service, sms(person, "es peligroso cruzar el darien?"));
    await fakes.twilio.waitFor(() => allParts(messages().map((m) => m.Body!)));
    const first = messages().map((m) => m.Body!).join("\n");
    const darien = service.assistant.content.get("risk.darien", "es")!;
    expect(first).toContain("Responde MAS para leer la respuesta completa.");
    // First contact: the privacy notice heads the summary, in GSM-7 like the rest.
    expect(first).toMatch(/^(\(1\/\d\) )?Lo que escribes aqui se guarda cifrado[^\n]+\n/);
    expect(first).toContain(darien.sources[0]!.url);
    expect(first).not.toContain(darien.body.split("\n").at(-1)!.replace(/\*/g, ""));
    const count = messages().length;
    await postTwilio(service, sms(person, "MAS"));
    await fakes.twilio.waitFor(() => allParts(messages().slice(count).map((m) => m.Body!)));
    const more = messages().slice(count).map((m) => m.Body!);
    const whole = more.map((b) => b.replace(/^\(\d+\/\d+\) /, "")).join("\n");
    expect(whole).toMatch(/Dari[eé]n/);
    expect(whole).not.toContain("Responde MAS");
    expect(whole).not.toContain("*");
    for (const body of more) expect(segmentCount(body)).toBeLessThanOrEqual(3);
    expect(whole.length).toBeGreaterThan(first.length);
  });

  it("WhatsApp: a safety reply shows the country's sourced emergency number, or the local number when the country is unknown", async () => {
    service = await channelService({ twilio: fakes.twilio });
    const mexico = service.assistant.content.country("MX")!;
    await postTwilio(service, whatsapp("+5215500000102", "estoy en mexico"));
    // "Thank you, information for Mexico", then the menu.
    await fakes.twilio.waitFor(() => messages().length >= 2);
    const count = messages().length;
    await postTwilio(service, whatsapp("+5215500000102", "me quieren matar ayuda"));
    await fakes.twilio.waitFor(() => messages().length > count);
    const safety = messages()[count]!.Body!;
    expect(safety).toContain(`${t("numbers.emergency")}: *${mexico.numbers.emergency!.number}*`);
    expect(safety).toContain(mexico.numbers.emergency!.sources[0]!.url);

    const before = messages().length;
    await postTwilio(service, whatsapp("+5215500000103", "me quieren matar ayuda"));
    await fakes.twilio.waitFor(() => messages().length > before);
    const general = messages()[before]!.Body!;
    expect(general).toContain(`${t("numbers.emergency")}: ${t("numbers.local")}`);
    expect(general).not.toContain("*911*");
  });
});
