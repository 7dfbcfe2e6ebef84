/**
 * Fake Telegram Bot API and Twilio REST API for the Worker's tests, answering the Worker's outgoing requests
 * (miniflare's outboundService, in Node) and recording them; `GET http://fakes.test/__requests` returns what was
 * recorded, `DELETE` forgets it. Nothing leaves the machine.
 */
export const FAKE_TOKEN = "123456789:AAFakeTokenForWorkerTests_abcdefghij";
export const FAKE_WEBHOOK_SECRET = "worker-telegram-webhook-secret";
export const FAKE_TWILIO = { sid: "AC0123456789abcdef0123456789abcdef", token: "worker-twilio-auth-token-000000000" };

interface Recorded {
  method: string;
  url: string;
  body: string;
}

const recorded: Recorded[] = [];

async function handle(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.hostname !== "fakes.test") return new Response("no internet in tests", { status: 502 });
  if (url.pathname === "/__requests") {
    if (request.method === "DELETE") recorded.length = 0;
    return Response.json(recorded);
  }
  const body = await request.text();
  recorded.push({ method: request.method, url: url.pathname, body });
  if (url.pathname.endsWith("/createForumTopic")) {
    return Response.json({ ok: true, result: { message_thread_id: 77, name: "case", icon_color: 7322096 } });
  }
  if (url.pathname.startsWith("/telegram/")) {
    return Response.json({ ok: true, result: { message_id: recorded.length, date: 1764000000, chat: { id: 1, type: "private" }, text: "ok" } });
  }
  if (url.pathname.startsWith("/twilio/")) {
    return Response.json({ sid: `SM${String(recorded.length).padStart(32, "0")}`, status: "queued" }, { status: 201 });
  }
  return new Response("unknown fake", { status: 404 });
}

export const fakeProviders = {
  handle,
  bindings: {
    PUBLIC_URL: "https://brujula.example.org",
    TELEGRAM_BOT_TOKEN: FAKE_TOKEN,
    TELEGRAM_WEBHOOK_SECRET: FAKE_WEBHOOK_SECRET,
    TELEGRAM_API_ROOT: "http://fakes.test/telegram",
    TWILIO_ACCOUNT_SID: FAKE_TWILIO.sid,
    TWILIO_AUTH_TOKEN: FAKE_TWILIO.token,
    TWILIO_WHATSAPP_FROM: "whatsapp:+14155550100",
    TWILIO_SMS_FROM: "+14155550199",
    TWILIO_API_BASE_URL: "http://fakes.test/twilio",
  },
};
