import { createScheduledController } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { twilioSignature } from "../../src/channels/twilio/signature.js";
import { testWebSealer } from "../support/keys.js";
import type { D1Like } from "../../src/store/d1/connection.js";
import { D1Store } from "../../src/store/d1/d1-store.js";
import { FAKE_TWILIO, FAKE_WEBHOOK_SECRET, fakeProviders } from "./fake-providers.js";

/**
 * Telegram and Twilio through the Worker inside workerd: signed webhooks in through the fetch handler, replies
 * out through the OUTBOX queue's consumer to fake provider APIs, cases in D1, the cron handler's sweep.
 */
const worker = (exports as unknown as {
  default: { fetch(request: Request): Promise<Response>; scheduled(controller: unknown, env: unknown, ctx: unknown): Promise<void> };
}).default;
const store = new D1Store((env as unknown as { DB: D1Like }).DB, testWebSealer());

interface Recorded {
  method: string;
  url: string;
  body: string;
}

async function recorded(): Promise<Recorded[]> {
  return (await (await fetch("http://fakes.test/__requests")).json()) as Recorded[];
}

async function waitFor(predicate: (r: Recorded[]) => boolean, ms = 8_000): Promise<Recorded[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const seen = await recorded();
    if (predicate(seen)) return seen;
    if (Date.now() > deadline) throw new Error(`not seen in time: ${JSON.stringify(seen)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let updateId = 5000;
function telegram(text: string, chatId: number, secret: string | null = FAKE_WEBHOOK_SECRET): Promise<Response> {
  const id = updateId++;
  const update = { update_id: id, message: { message_id: id, date: 1764000000, chat: { id: chatId, type: "private", first_name: "P" }, from: { id: chatId, is_bot: false, first_name: "P", language_code: "es" }, text } };
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (secret) headers["x-telegram-bot-api-secret-token"] = secret;
  return worker.fetch(new Request("https://brujula.example.org/webhooks/telegram", { method: "POST", headers, body: JSON.stringify(update) }));
}

let sid = 1;
async function twilio(from: string, body: string, forge = false): Promise<Response> {
  const params = { MessageSid: `SM${String(sid++).padStart(32, "0")}`, AccountSid: FAKE_TWILIO.sid, From: from, To: fakeProviders.bindings.TWILIO_SMS_FROM, Body: body, NumMedia: "0" };
  const signature = await twilioSignature(forge ? "not-the-token-not-the-token-00000" : FAKE_TWILIO.token, `${fakeProviders.bindings.PUBLIC_URL}/webhooks/twilio`, params);
  return worker.fetch(
    new Request("https://brujula.example.org/webhooks/twilio", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature },
      body: new URLSearchParams(params).toString(),
    }),
  );
}

beforeEach(async () => {
  await fetch("http://fakes.test/__requests", { method: "DELETE" });
});

describe("channels on the Worker", () => {
  it("Telegram: a webhook in, the reply out through the queue to the Bot API; a wrong secret is refused", async () => {
    expect((await telegram("hola", 9001, "wrong-secret")).status).toBe(401);
    const res = await telegram("hola, es peligroso el darien?", 9001);
    expect(res.status).toBe(200);
    // The answer, with the privacy notice of first contact at its top.
    const sent = await waitFor((r) => r.some((x) => x.url.endsWith("/sendMessage")));
    const message = JSON.parse(sent.find((x) => x.url.endsWith("/sendMessage"))!.body) as { chat_id: string; text: string };
    expect(message.chat_id).toBe("9001");
    expect(message.text).toMatch(/^🔒 [^\n]+\n\n.*Darién/s);
    expect((await store.outboxCounts()).sent).toBeGreaterThan(0);
  });

  it("SMS through Twilio: a signed webhook in, the reply out through the queue; a forged signature is refused", async () => {
    expect((await twilio("+50760000901", "hola", true)).status).toBe(403);
    const res = await twilio("+50760000902", "necesito un albergue para dormir");
    expect(res.status).toBe(200);
    const sent = await waitFor((r) => r.some((x) => x.url.endsWith("/Messages.json")));
    const form = new URLSearchParams(sent.find((x) => x.url.endsWith("/Messages.json"))!.body);
    expect(form.get("To")).toBe("+50760000902");
    expect(form.get("Body")).toBeTruthy();
  });

  it("a person in danger gets the safety reply and a case opens in D1", async () => {
    await telegram("me quieren matar, ayuda", 9003);
    await waitFor((r) => r.some((x) => x.url.endsWith("/sendMessage")));
    const cases = await store.listCases({ status: "open" });
    expect(cases.some((c) => c.channel === "telegram" && c.priority === 1)).toBe(true);
  });

  it("the cron sweep sends what is due even when no notice was queued", async () => {
    await store.enqueue([{ channel: "telegram", userKey: "cron-person", payload: { chatId: "9004", html: "from the sweep" } }]);
    // The handler itself, as the cron trigger calls it (the default export, not through the RPC stub).
    const { default: handlers } = await import("../../src/worker.js");
    await handlers.scheduled(createScheduledController({ scheduledTime: new Date(), cron: "* * * * *" }), env as never);
    const sent = await recorded();
    expect(sent.some((x) => x.body.includes("from the sweep"))).toBe(true);
  });

  it("the cron purges old message text and long-closed transcripts once an hour", async () => {
    await store.commitTurn({
      userKey: "retention-person",
      channel: "telegram",
      inbound: { channel: "telegram", externalId: "retention-1", text: "texto viejo", at: "2025-01-01T10:00:00.000Z" },
      state: { lang: "es" },
      events: [],
      outbox: [],
      handoff: { category: "human.request", priority: 3, lang: "es", country: null, text: "texto viejo", at: "2025-01-01T10:00:00.000Z" },
    });
    const opened = (await store.listCases()).find((c) => c.userKey === "retention-person")!;
    await store.updateCase(opened.id, { closedBy: "web:1" }, "2025-01-02T10:00:00.000Z", []);
    const { default: handlers } = await import("../../src/worker.js");
    await handlers.scheduled(createScheduledController({ scheduledTime: new Date("2026-11-26T05:07:00.000Z"), cron: "* * * * *" }), env as never);
    expect((await store.getCase({ id: opened.id }))!.transcript.length).toBeGreaterThan(0); // not on the hour
    await handlers.scheduled(createScheduledController({ scheduledTime: new Date("2026-11-26T06:00:00.000Z"), cron: "* * * * *" }), env as never);
    expect((await store.getCase({ id: opened.id }))!.transcript).toEqual([]);
  });
});
