import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { segmentCount } from "../../src/channels/twilio/gsm.js";
import type { Service } from "../../src/service.js";
import { allParts, FakeTwilio } from "../support/fake-twilio.js";
import { channelService, isPrivacyNotice, messageSid, postTwilio, SMS_FROM, waitForOutbox, WHATSAPP_FROM } from "../support/service.js";

/** WhatsApp and SMS end to end: a signed webhook in, the reply out at a fake Twilio REST API over real HTTP. */
describe("Twilio: WhatsApp and SMS", () => {
  let twilio: FakeTwilio;
  let service: Service;
  beforeAll(async () => {
    twilio = await new FakeTwilio().start();
  });
  afterAll(async () => {
    await twilio.stop();
  });
  afterEach(async () => {
    await service?.close();
    twilio.recover();
    twilio.requests.length = 0;
  });
  const whatsapp = (from: string, body: string, extra: Record<string, string> = {}) => ({
    MessageSid: messageSid(), AccountSid: "AC", From: `whatsapp:${from}`, To: WHATSAPP_FROM, Body: body, NumMedia: "0", ...extra,
  });
  const sms = (from: string, body: string) => ({ MessageSid: messageSid(), AccountSid: "AC", From: from, To: SMS_FROM, Body: body, NumMedia: "0" });
  // What the person is sent, past the first-contact privacy notice (checked in the first test).
  const messages = () => twilio.messages().filter((m) => !isPrivacyNotice(m.Body));

  it("refuses forged and missing signatures with 403, processing nothing", async () => {
    service = await channelService({ twilio });
    const params = whatsapp("+50760000001", "hola");
    expect((await postTwilio(service, params, { signature: "Zm9yZ2Vk" })).status).toBe(403);
    expect((await postTwilio(service, params, { signature: null })).status).toBe(403);
    expect((await postTwilio(service, { ...params, Body: "tampered" }, { signature: (await import("../support/fake-twilio.js")).twilioSignature("/webhooks/twilio", params) })).status).toBe(403);
    expect(await service.store.listEvents()).toEqual([]);
    expect(await service.store.getOutbox()).toEqual([]);
  });

  it("answers WhatsApp through the REST API with a numbered menu, and a bare number picks from it", async () => {
    service = await channelService({ twilio });
    const res = await postTwilio(service, whatsapp("+50760000002", "hola"));
    expect(res.status).toBe(200);
    expect(res.contentType).toContain("text/xml");
    expect(res.text).toContain("<Response></Response>");
    await twilio.waitFor(() => messages().length === 1);
    const [menu] = messages();
    expect(menu).toMatchObject({ To: "whatsapp:+50760000002", From: WHATSAPP_FROM, StatusCallback: "https://brujula.example.org/webhooks/twilio/status" });
    expect(menu!.Body).toMatch(/\n1\. Selva del Darién: riesgos\n2\. /);
    // First contact: the privacy notice went out first, to the same person, once.
    expect(menu!.Body).toMatch(/^🔒 Lo que escribes aquí[^\n]+\n\n/);
    await postTwilio(service, whatsapp("+50760000002", "1"));
    await twilio.waitFor(() => messages().length === 2);
    expect(messages()[1]!.Body).toMatch(/^\*Riesgos de cruzar el Darién\*/);
  });

  it("keeps SMS plain, GSM-7 and short: the summary, a source, parts of at most three segments", async () => {
    service = await channelService({ twilio });
    await postTwilio(service, sms("+50760000003", "es peligroso cruzar el darien?"));
    await twilio.waitFor(() => allParts(messages().map((m) => m.Body!)));
    const bodies = messages().map((m) => m.Body!);
    for (const body of bodies) {
      expect(body).not.toContain("*");
      expect(body).not.toMatch(/[áíóú]/);
      expect(segmentCount(body)).toBeLessThanOrEqual(3);
    }
    expect(bodies.join(" ")).toMatch(/Dari[eé]n/);
    expect(messages()[0]!.From).toBe(SMS_FROM);
  });

  it("processes a retried MessageSid once", async () => {
    service = await channelService({ twilio });
    const params = whatsapp("+50760000004", "hola");
    await postTwilio(service, params);
    await postTwilio(service, params);
    await twilio.waitFor(() => messages().length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(messages()).toHaveLength(1);
  });

  it("answers a photo politely with the menu, and takes the country from a WhatsApp location", async () => {
    service = await channelService({ twilio });
    await postTwilio(service, whatsapp("+50760000005", "", { NumMedia: "1", MediaContentType0: "image/jpeg", MediaUrl0: "https://api.twilio.com/x" }));
    await twilio.waitFor(() => messages().length === 1);
    expect(messages()[0]!.Body).toContain("Solo puedo leer mensajes de texto");
    await postTwilio(service, whatsapp("+50760000005", "", { Latitude: "14.9", Longitude: "-92.26" }));
    await twilio.waitFor(() => messages().length === 2);
    expect(messages()[1]!.Body).toContain("México");
  });

  it("records signed delivery reports, and refuses unsigned ones", async () => {
    service = await channelService({ twilio });
    await postTwilio(service, whatsapp("+50760000006", "hola"));
    const [item] = await waitForOutbox(service, (items) => items[0]?.status === "sent");
    const report = { MessageSid: item!.providerId!, MessageStatus: "delivered", AccountSid: "AC" };
    expect((await postTwilio(service, report, { path: "/webhooks/twilio/status", signature: null })).status).toBe(403);
    expect((await postTwilio(service, report, { path: "/webhooks/twilio/status" })).status).toBe(204);
    expect((await service.store.getOutbox())[0]!.delivery).toBe("delivered");
  });

  it("rejects other content types, missing fields and oversized forms", async () => {
    service = await channelService({ twilio });
    const json = await service.app.request("/webhooks/twilio", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(json.status).toBe(415);
    expect((await postTwilio(service, { Body: "hola" })).status).toBe(400);
    expect((await postTwilio(service, whatsapp("+50760000007", "a".repeat(100_000)))).status).toBe(413);
  });

  it("marks an invalid number as failed and survives an outage, delivering each reply once", async () => {
    service = await channelService({ twilio });
    await postTwilio(service, sms("+15005550001", "hola"));
    await waitForOutbox(service, (items) => items[0]?.status === "failed");
    expect((await service.store.getOutbox())[0]!.lastError).toMatch(/21211/);

    twilio.goDown(500);
    await postTwilio(service, whatsapp("+50760000008", "hola"));
    await waitForOutbox(service, (items) => items.some((i) => i.attempts >= 2 && i.status !== "sent"));
    twilio.recover();
    await waitForOutbox(service, (items) => items.filter((i) => i.status === "sent").length === 1, 8_000);
    expect(messages().filter((m) => m.To === "whatsapp:+50760000008")).toHaveLength(1);
  });

  it("holds a WhatsApp reply after the 24-hour window, sends the template once, and releases on the next message", async () => {
    service = await channelService({ twilio }, { env: { TWILIO_WHATSAPP_TEMPLATE_SID: `HX${"1".repeat(32)}` } });
    await postTwilio(service, whatsapp("+50760000009", "hola"));
    await twilio.waitFor(() => messages().length === 1);
    const [first] = await service.store.getOutbox();
    // A caseworker's answer, two days later: the window has closed.
    const old = new Date(Date.now() - 48 * 3600_000).toISOString();
    await service.store.commitTurn({ userKey: first!.userKey, channel: "whatsapp", state: {}, events: [], contact: { address: "whatsapp:+50760000009", lastInboundAt: old }, outbox: [] });
    await service.store.enqueue([{ channel: "whatsapp", userKey: first!.userKey, payload: { to: "whatsapp:+50760000009", from: WHATSAPP_FROM, body: "Hola, soy Ana del equipo." }, notBefore: undefined }]);
    await service.store.enqueue([{ channel: "whatsapp", userKey: first!.userKey, payload: { to: "whatsapp:+50760000009", from: WHATSAPP_FROM, body: "¿Sigues ahí?" } }]);
    service.sender.kick();
    await waitForOutbox(service, (items) => items.filter((i) => i.status === "held").length === 2);
    const templates = messages().filter((m) => m.ContentSid);
    expect(templates).toHaveLength(1);
    expect(messages().some((m) => m.Body === "Hola, soy Ana del equipo.")).toBe(false);

    await postTwilio(service, whatsapp("+50760000009", "si aqui estoy"));
    await twilio.waitFor(() => messages().some((m) => m.Body === "¿Sigues ahí?"));
    const bodies = messages().map((m) => m.Body);
    expect(bodies.indexOf("Hola, soy Ana del equipo.")).toBeLessThan(bodies.indexOf("¿Sigues ahí?"));
  });
});

describe("Twilio: what can go wrong after sending", () => {
  let twilio: FakeTwilio;
  const messages = () => twilio.messages().filter((m) => !isPrivacyNotice(m.Body));
  beforeAll(async () => {
    twilio = await new FakeTwilio().start();
  });
  afterAll(async () => {
    await twilio.stop();
  });

  it("puts a reply WhatsApp bounced for the closed window (63016) back on hold, and sends it when the person writes", async () => {
    const service = await channelService({ twilio });
    try {
      const from = "+50760000010";
      await postTwilio(service, { MessageSid: messageSid(), From: `whatsapp:${from}`, To: WHATSAPP_FROM, Body: "hola", NumMedia: "0" });
      const [sent] = await waitForOutbox(service, (items) => items[0]?.status === "sent");
      const report = { MessageSid: sent!.providerId!, MessageStatus: "undelivered", ErrorCode: "63016" };
      expect((await postTwilio(service, report, { path: "/webhooks/twilio/status" })).status).toBe(204);
      expect((await service.store.getOutbox())[0]).toMatchObject({ status: "held", delivery: "undelivered" });
      // The first reply bounced: it goes out again after the person's next message.
      const before = twilio.messages().length;
      await postTwilio(service, { MessageSid: messageSid(), From: `whatsapp:${from}`, To: WHATSAPP_FROM, Body: "gracias", NumMedia: "0" });
      await twilio.waitFor(() => twilio.messages().length >= before + 2);
      expect(twilio.messages().slice(before).map((m) => m.Body)).toContain(twilio.messages()[0]!.Body);
    } finally {
      await service.close();
    }
  });

  it("keeps a reply held, never failed, when the template notice itself is refused", async () => {
    const service = await channelService({ twilio }, { env: { TWILIO_WHATSAPP_TEMPLATE_SID: `HX${"2".repeat(32)}` } });
    try {
      const userKey = "held-user";
      const old = new Date(Date.now() - 30 * 3600_000).toISOString();
      await service.store.commitTurn({ userKey, channel: "whatsapp", state: {}, events: [], contact: { address: "whatsapp:+50760000013", lastInboundAt: old }, outbox: [] });
      twilio.failNext(1, { status: 400, body: { code: 63027, message: "Template rejected" } });
      await service.store.enqueue([{ channel: "whatsapp", userKey, payload: { to: "whatsapp:+50760000013", from: WHATSAPP_FROM, body: "Hola de nuevo" } }]);
      service.sender.kick();
      const [item] = await waitForOutbox(service, (items) => items.some((i) => i.userKey === userKey && i.status !== "pending" && i.status !== "sending"));
      expect(item).toMatchObject({ status: "held" });
      expect(item!.lastError).toMatch(/template_failed/);
    } finally {
      await service.close();
    }
  });

  it("sends SMS through a Messaging Service when TWILIO_SMS_FROM is one", async () => {
    const service = await channelService({ twilio }, { env: { TWILIO_SMS_FROM: `MG${"a".repeat(32)}` } });
    try {
      const before = messages().length;
      await postTwilio(service, { MessageSid: messageSid(), From: "+50760000011", To: "+14155550199", Body: "hola", NumMedia: "0" });
      await twilio.waitFor(() => messages().length > before);
      const message = messages().at(-1)!;
      expect(message.MessagingServiceSid).toBe(`MG${"a".repeat(32)}`);
      expect(message.From).toBeUndefined();
    } finally {
      await service.close();
    }
  });

  it("keeps retrying when the credentials are refused, instead of losing the reply", async () => {
    const service = await channelService({ twilio });
    try {
      twilio.failNext(2, { status: 401, body: { code: 20003, message: "Authenticate" } });
      await postTwilio(service, { MessageSid: messageSid(), From: "whatsapp:+50760000012", To: WHATSAPP_FROM, Body: "hola", NumMedia: "0" });
      const [item] = await waitForOutbox(service, (items) => items[0]?.status === "sent", 8_000);
      expect(item!.attempts).toBe(3);
    } finally {
      await service.close();
    }
  });
});

describe("a server without channel credentials", () => {
  it("still starts, answers 503 on the webhooks, and says so in /health", async () => {
    const service = await channelService({});
    try {
      for (const path of ["/webhooks/telegram", "/webhooks/twilio", "/webhooks/twilio/status"]) {
        const res = await service.app.request(path, { method: "POST", body: "x" });
        expect(res.status, path).toBe(503);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe("channel_disabled");
      }
      const health = (await (await service.app.request("/health")).json()) as Record<string, unknown>;
      expect(health).toMatchObject({ status: "ok", channels: [], outbox: { pending: 0, held: 0, failed: 0 } });
    } finally {
      await service.close();
    }
  });
});
