import autocannon, { type Request as AutocannonRequest } from "autocannon";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "../catalog/files.js";
import { FakeTelegram } from "../../tests/support/fake-telegram.js";
import { FakeTwilio, twilioSignature } from "../../tests/support/fake-twilio.js";
import { providerEnv, WEBHOOK_SECRET, WHATSAPP_FROM } from "../../tests/support/service.js";
import { exitQuietlyOnClosedPipe, flagString, parseFlags } from "./args.js";
import { freePort, startLocalServer, waitHealthy } from "./local-server.js";

/**
 * `npm run bench:webhook [-- --seconds 10 --connections 50]`: signed Telegram and Twilio webhooks on loopback
 * against the real server (a child process, as `npm start` runs it, with local fake provider APIs), next to a
 * bare Hono route measured the same way. Prints requests/s, latency, errors and lost replies. Figures only.
 */
exitQuietlyOnClosedPipe();
const flags = parseFlags(process.argv.slice(2));
const seconds = Number(flagString(flags, "seconds") ?? 10);
const connections = Number(flagString(flags, "connections") ?? 50);
const PEOPLE = 2_000;

function run(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

const telegram = await new FakeTelegram().start();
const twilio = await new FakeTwilio().start();
const dataDir = mkdtempSync(join(tmpdir(), "brujula-bench-webhook-"));
const barePort = await freePort();
const children: ChildProcess[] = [];
try {
  const profile = flags.has("cpu-prof") ? ["--cpu-prof", `--cpu-prof-dir=${join(PROJECT_ROOT, ".scratch")}`] : [];
  const server = await startLocalServer({ DATA_DIR: dataDir, LOG_LEVEL: "error", ...providerEnv({ telegram, twilio }) }, { nodeArgs: profile });
  children.push(server.child);
  const bareScript = `import { serve } from "@hono/node-server"; import { Hono } from "hono";
    const app = new Hono(); app.post("/bare", async (c) => c.json({ ok: true, id: (await c.req.json()).update_id }));
    serve({ fetch: app.fetch, port: ${barePort}, hostname: "127.0.0.1" });`;
  const bare = spawn(process.execPath, ["--input-type=module", "-e", bareScript], { cwd: PROJECT_ROOT, stdio: "inherit" });
  children.push(bare);
  await waitHealthy(`http://127.0.0.1:${barePort}/bare`, bare);

  let updateId = 1;
  const telegramRequest = (): AutocannonRequest => ({
    method: "POST",
    path: "/webhooks/telegram",
    setupRequest: (request) => {
      const id = updateId++;
      const chat = 100_000 + (id % PEOPLE);
      const update = { update_id: id, message: { message_id: id, date: 1764000000, chat: { id: chat, type: "private" }, from: { id: chat, is_bot: false, first_name: "B" }, text: "hola, es peligroso el darien?" } };
      return { ...request, headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": WEBHOOK_SECRET }, body: JSON.stringify(update) };
    },
  });
  let sid = 1;
  const twilioRequest = (): AutocannonRequest => ({
    method: "POST",
    path: "/webhooks/twilio",
    setupRequest: (request) => {
      const n = sid++;
      const params = { MessageSid: `SM${String(n).padStart(32, "0")}`, From: `whatsapp:+5076${String(n % PEOPLE).padStart(7, "0")}`, To: WHATSAPP_FROM, Body: "kijan pou m mande azil", NumMedia: "0" };
      const headers = { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": twilioSignature("/webhooks/twilio", params) };
      return { ...request, headers, body: new URLSearchParams(params).toString() };
    },
  });

  const base = { connections, duration: seconds };
  const results: [string, autocannon.Result][] = [];
  results.push(["bare Hono route (same machine)", await run({ ...base, url: `http://127.0.0.1:${barePort}`, requests: [{ method: "POST", path: "/bare", headers: { "content-type": "application/json" }, body: '{"update_id":1}' }] })]);
  results.push(["Telegram webhook (signed)", await run({ ...base, url: server.url, requests: [telegramRequest()] })]);
  results.push(["Twilio WhatsApp webhook (signed)", await run({ ...base, url: server.url, requests: [twilioRequest()] })]);

  // Every acknowledged webhook must produce its reply at the fake provider, once: wait for the outbox to drain.
  const ackedTelegram = results[1]![1]["2xx"];
  const ackedTwilio = results[2]![1]["2xx"];
  const delivered = () => telegram.calls("sendMessage").length + twilio.messages().length;
  let last = -1;
  for (let i = 0; i < 600 && delivered() !== last; i++) {
    last = delivered();
    await new Promise((r) => setTimeout(r, 250));
  }
  // autocannon stops with requests in flight: those were processed (and answered) but not counted as acknowledged.
  const lost = Math.max(0, ackedTelegram - telegram.calls("sendMessage").length) + Math.max(0, ackedTwilio - twilio.messages().length);

  console.log(`Webhook benchmark: ${seconds} s per run, ${connections} connections, loopback, built-in embedder, SQLite (WAL)\n`);
  console.log(`${"".padEnd(36)}${"req/s".padStart(9)}${"p50 ms".padStart(9)}${"p99 ms".padStart(9)}${"errors".padStart(9)}${"non-2xx".padStart(9)}`);
  for (const [name, r] of results) {
    console.log(`${name.padEnd(36)}${Math.round(r.requests.average).toString().padStart(9)}${r.latency.p50.toFixed(1).padStart(9)}${r.latency.p99.toFixed(1).padStart(9)}${String(r.errors + r.timeouts).padStart(9)}${String(r.non2xx).padStart(9)}`);
  }
  const bareRate = results[0]![1].requests.average;
  console.log(`\nTelegram at ${((results[1]![1].requests.average / bareRate) * 100).toFixed(1)}% of the bare route, WhatsApp at ${((results[2]![1].requests.average / bareRate) * 100).toFixed(1)}%`);
  console.log(`acknowledged: ${ackedTelegram} Telegram + ${ackedTwilio} WhatsApp; replies delivered: ${telegram.calls("sendMessage").length} + ${twilio.messages().length} (including requests still in flight when the run ended); lost: ${lost}`);
} finally {
  for (const child of children) child.kill("SIGTERM");
  await telegram.stop();
  await twilio.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
