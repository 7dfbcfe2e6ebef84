import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import handlers from "../../src/worker.js";
import { FAKE_WEBHOOK_SECRET } from "./fake-providers.js";

/**
 * The caseworkers' Telegram group on the Worker: a handoff opens a topic with the case card, and what an
 * allowlisted caseworker writes in the topic reaches the person. The handlers are called with the group configured
 * (the other Worker tests run without it), and the queue consumer is run by hand with the same settings.
 */
const GROUP = "-1001234567890";
const CASEWORKER = 777;
const withGroup = { ...(env as unknown as Record<string, unknown>), CASEWORKER_CHAT_ID: GROUP, CASEWORKER_TELEGRAM_IDS: String(CASEWORKER) };
const ctx = { waitUntil: (p: Promise<unknown>) => void p.catch(() => undefined) };

interface Recorded {
  url: string;
  body: string;
}
const recorded = async () => (await (await fetch("http://fakes.test/__requests")).json()) as Recorded[];
const sendMessages = async () => (await recorded()).filter((r) => r.url.endsWith("/sendMessage")).map((r) => JSON.parse(r.body) as Record<string, unknown>);

function update(body: Record<string, unknown>): Request {
  return new Request("https://brujula.example.org/webhooks/telegram", {
    method: "POST",
    headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": FAKE_WEBHOOK_SECRET },
    body: JSON.stringify(body),
  });
}

async function sendQueued(): Promise<void> {
  await handlers.queue({ messages: [], ackAll() {} }, withGroup as never);
}

beforeEach(async () => {
  await fetch("http://fakes.test/__requests", { method: "DELETE" });
});

describe("the caseworkers' group on the Worker", () => {
  it("opens a topic for a handoff and relays a caseworker's answer to the person", async () => {
    const person = 9100;
    const res = await handlers.fetch(
      update({ update_id: 7001, message: { message_id: 1, date: 1764000000, chat: { id: person, type: "private", first_name: "P" }, from: { id: person, is_bot: false, first_name: "P", language_code: "es" }, text: "me quieren matar" } }),
      withGroup as never,
      ctx,
    );
    expect(res.status).toBe(200);
    await sendQueued();
    const topics = (await recorded()).filter((r) => r.url.endsWith("/createForumTopic"));
    expect(topics).toHaveLength(1);
    const card = (await sendMessages()).find((m) => String(m.chat_id) === GROUP);
    expect(card).toMatchObject({ message_thread_id: 77 });
    await fetch("http://fakes.test/__requests", { method: "DELETE" });

    const answer = await handlers.fetch(
      update({
        update_id: 7002,
        message: { message_id: 2, date: 1764000000, message_thread_id: 77, is_topic_message: true, chat: { id: Number(GROUP), type: "supergroup", title: "Casos", is_forum: true }, from: { id: CASEWORKER, is_bot: false, first_name: "Ana" }, text: "Hola, soy Ana. ¿Dónde estás ahora?" },
      }),
      withGroup as never,
      ctx,
    );
    expect(answer.status).toBe(200);
    await sendQueued();
    const toPerson = (await sendMessages()).find((m) => String(m.chat_id) === String(person));
    expect(toPerson?.text).toContain("Hola, soy Ana. ¿Dónde estás ahora?");
  });
});
