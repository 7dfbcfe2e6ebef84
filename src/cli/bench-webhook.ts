import autocannon, { type Request as AutocannonRequest } from "autocannon";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "../catalog/files.js";
import { FakeTelegram } from "../../tests/support/fake-telegram.js";
import { FakeTwilio } from "../../tests/support/fake-twilio.js";
import { fictionalNumber } from "../../tests/support/mixed-load.js";
import { freePort, ServerProcess } from "../../tests/support/server-process.js";
import { signedTelegram, signedTwilio, textUpdate, twilioMessage } from "../../tests/support/webhooks.js";
import { exitQuietlyOnClosedPipe, flagString, parseFlags } from "./args.js";

/**
 * `npm run bench:webhook [-- --seconds 10 --connections 50 --channel telegram|whatsapp]`: signed Telegram and Twilio webhooks on loopback
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
let server: ServerProcess | undefined;
try {
  const profile = flags.has("cpu-prof") ? ["--cpu-prof", `--cpu-prof-dir=${join(PROJECT_ROOT, ".scratch")}`] : [];
  server = await ServerProcess.start({ dataDir, telegram, twilio, env: { LOG_LEVEL: "error" }, nodeArgs: profile, echo: true });
  const bareScript = `import { serve } from "@hono/node-server"; import { Hono } from "hono";
    const app = new Hono(); app.post("/bare", async (c) => c.json({ ok: true, id: (await c.req.json()).update_id }));
    serve({ fetch: app.fetch, port: ${barePort}, hostname: "127.0.0.1" });`;
  const bare = spawn(process.execPath, ["--input-type=module", "-e", bareScript], { cwd: PROJECT_ROOT, stdio: "inherit" });
  children.push(bare);
  for (let i = 0; !(await fetch(`http://127.0.0.1:${barePort}/bare`).then(() => true, () => false)); i++) {
    if (i > 500 || bare.exitCode !== null) throw new Error("the bare Hono route did not come up");
    await new Promise((r) => setTimeout(r, 20));
  }

  let updateId = 1;
  const telegramRequest = (): AutocannonRequest => ({
    method: "POST",
    path: "/webhooks/telegram",
    setupRequest: (request) => {
      const id = updateId++;
      const { headers, body } = signedTelegram(textUpdate("hola, es peligroso el darien?", { id: 100_000 + (id % PEOPLE) }, id));
      return { ...request, headers, body };
    },
  });
  let sid = 1;
  const twilioRequest = (): AutocannonRequest => ({
    method: "POST",
    path: "/webhooks/twilio",
    setupRequest: (request) => {
      const n = sid++;
      const { headers, body } = signedTwilio(twilioMessage(`SM${String(n).padStart(32, "0")}`, `whatsapp:${fictionalNumber(n % PEOPLE)}`, "kijan pou m mande azil"));
      return { ...request, headers, body };
    },
  });

  const base = { connections, duration: seconds };
  const only = flagString(flags, "channel");
  if (only !== undefined && only !== "telegram" && only !== "whatsapp") throw new Error("--channel is telegram or whatsapp");
  const results: [string, autocannon.Result][] = [];
  results.push(["bare Hono route (same machine)", await run({ ...base, url: `http://127.0.0.1:${barePort}`, requests: [{ method: "POST", path: "/bare", headers: { "content-type": "application/json" }, body: '{"update_id":1}' }] })]);
  const acked = { telegram: 0, whatsapp: 0 };
  if (only !== "whatsapp") {
    results.push(["Telegram webhook (signed)", await run({ ...base, url: server.url, requests: [telegramRequest()] })]);
    acked.telegram = results.at(-1)![1]["2xx"];
  }
  if (only !== "telegram") {
    results.push(["Twilio WhatsApp webhook (signed)", await run({ ...base, url: server.url, requests: [twilioRequest()] })]);
    acked.whatsapp = results.at(-1)![1]["2xx"];
  }

  // Every acknowledged webhook must produce its reply at the fake provider, once: wait for the outbox to drain.
  const { telegram: ackedTelegram, whatsapp: ackedTwilio } = acked;
  const delivered = () => telegram.calls("sendMessage").length + twilio.messages().length;
  // How far the replies lagged the acknowledgements: what was still to deliver when the last run ended, and how
  // long it took to arrive (up to the last reply seen; the wait ends after 250 ms without a new one).
  const behind = ackedTelegram + ackedTwilio - delivered();
  const drainStart = performance.now();
  let drainMs = 0;
  let last = -1;
  for (let i = 0; i < 600 && delivered() !== last; i++) {
    if (delivered() !== last) drainMs = performance.now() - drainStart;
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
  console.log(`\n${results.slice(1).map(([name, r]) => `${name.startsWith("Twilio") ? "WhatsApp" : "Telegram"} at ${((r.requests.average / bareRate) * 100).toFixed(1)}%`).join(", ")} of the bare route`);
  console.log(`acknowledged: ${ackedTelegram} Telegram + ${ackedTwilio} WhatsApp; replies delivered: ${telegram.calls("sendMessage").length} + ${twilio.messages().length} (including requests still in flight when the run ended); lost: ${lost}`);
  console.log(`replies still to deliver when the last run ended: ${Math.max(0, behind)}; delivered within ${Math.round(drainMs)} ms (±250 ms)`);
} finally {
  for (const child of children) child.kill("SIGTERM");
  await server?.stop();
  await telegram.stop();
  await twilio.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
