import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/catalog/files.js";
import { FakeTelegram } from "../support/fake-telegram.js";
import { ACCOUNT_SID, AUTH_TOKEN, FakeTwilio, PUBLIC_URL, twilioSignature } from "../support/fake-twilio.js";
import { BOT_TOKEN } from "../support/fake-telegram.js";
import { freePort } from "../support/server-process.js";
import { tempDir } from "../support/temp.js";

/**
 * The Worker under `wrangler dev` (workerd, local D1 and queue), against the same local fake Telegram and Twilio
 * servers as the Node tests: signed webhooks in, replies out at the fakes, forged ones refused.
 */
const WEBHOOK_SECRET = "worker-dev-telegram-secret";
const wrangler = join(PROJECT_ROOT, "node_modules", ".bin", "wrangler");
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", NO_COLOR: "1" };

describe("the Worker under wrangler dev", () => {
  let telegram: FakeTelegram;
  let twilio: FakeTwilio;
  let dev: ChildProcess | undefined;
  let base = "";
  let log = "";
  const persist = tempDir("wrangler");

  beforeAll(async () => {
    telegram = await new FakeTelegram().start();
    twilio = await new FakeTwilio().start();
    const migrate = spawnSync(wrangler, ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persist], { cwd: PROJECT_ROOT, env, encoding: "utf8" });
    expect(migrate.status, migrate.stderr).toBe(0);
    const port = await freePort();
    const vars = {
      ID_HASH_KEY: "wrangler-dev-test-secret-0123456789abcdef",
      DATA_KEY: "c3".repeat(32),
      LOG_LEVEL: "warn",
      PUBLIC_URL,
      TELEGRAM_BOT_TOKEN: BOT_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
      TELEGRAM_API_ROOT: telegram.url,
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_SMS_FROM: "+14155550199",
      TWILIO_API_BASE_URL: twilio.url,
    };
    const args = ["dev", "--ip", "127.0.0.1", "--port", String(port), "--persist-to", persist, "--inspector-port", String(await freePort())];
    for (const [k, v] of Object.entries(vars)) args.push("--var", `${k}:${v}`);
    dev = spawn(wrangler, args, { cwd: PROJECT_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    dev.stdout!.on("data", (d: Buffer) => (log += d.toString()));
    dev.stderr!.on("data", (d: Buffer) => (log += d.toString()));
    base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 45_000;
    for (;;) {
      const ok = await fetch(`${base}/health`).then((r) => r.ok, () => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`wrangler dev did not become healthy:\n${log}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }, 90_000);

  afterAll(async () => {
    dev?.kill("SIGTERM");
    await telegram?.stop();
    await twilio?.stop();
  });

  it("answers Telegram through the queue, and refuses a wrong secret", async () => {
    const update = (id: number, text: string) => ({
      update_id: id,
      message: { message_id: id, date: 1764000000, chat: { id: 4242, type: "private", first_name: "P" }, from: { id: 4242, is_bot: false, first_name: "P", language_code: "es" }, text },
    });
    const post = (body: unknown, secret: string) =>
      fetch(`${base}/webhooks/telegram`, { method: "POST", headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret }, body: JSON.stringify(body) });
    expect((await post(update(1, "hola"), "wrong-secret")).status).toBe(401);
    expect((await post(update(2, "donde puedo dormir esta noche"), WEBHOOK_SECRET)).status).toBe(200);
    await telegram.waitFor(() => telegram.calls("sendMessage").length >= 1, 15_000);
    expect(telegram.calls("sendMessage")[0]!.params.chat_id).toBe("4242");
  });

  it("answers SMS through Twilio, and refuses a forged signature", async () => {
    const params = { MessageSid: `SM${"7".repeat(32)}`, AccountSid: ACCOUNT_SID, From: "+50760004242", To: "+14155550199", Body: "es peligroso el darien", NumMedia: "0" };
    const post = (signature: string) =>
      fetch(`${base}/webhooks/twilio`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature }, body: new URLSearchParams(params).toString() });
    expect((await post("Zm9yZ2VkIHNpZ25hdHVyZQ==")).status).toBe(403);
    expect((await post(twilioSignature("/webhooks/twilio", params))).status).toBe(200);
    await twilio.waitFor(() => twilio.messages().length >= 1, 15_000);
    expect(twilio.messages()[0]).toMatchObject({ To: "+50760004242", From: "+14155550199" });
  });
});
