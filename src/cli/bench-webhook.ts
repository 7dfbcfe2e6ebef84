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
import { signedTelegram, signedTwilio, textUpdate, twilioMessage, type SignedWebhook } from "../../tests/support/webhooks.js";
import { exitQuietlyOnClosedPipe, flagString, parseFlags } from "./args.js";
import { percentile } from "./figures.js";

/**
 * `npm run bench:webhook [-- --seconds 10 --connections 50 --rate 1000 --channel telegram|whatsapp]`: signed
 * Telegram and Twilio webhooks on loopback against the real server (a child process, as `npm start` runs it, with
 * local fake provider APIs). Two measures per channel:
 * - as fast as it answers: autocannon keeps `--connections` requests in flight (next to a bare Hono route
 *   measured the same way): the most the server takes;
 * - at a steady `--rate` (open loop, as a provider sends: each webhook on time, whatever the answers): the
 *   latency a sender sees at that rate, counted from when each request was due, so a stall is not hidden.
 * Then errors and lost replies. Figures only.
 */
exitQuietlyOnClosedPipe();
const flags = parseFlags(process.argv.slice(2));
const seconds = Number(flagString(flags, "seconds") ?? 10);
const connections = Number(flagString(flags, "connections") ?? 50);
const rate = Number(flagString(flags, "rate") ?? 1000);
/**
 * People writing, per channel: a conversation of a few messages each, as people write, and never more than the
 * rate limit (RATE_LIMIT_PER_MINUTE, 20 a minute by default) over both runs of a channel, which would silence them
 * (about 1,500 requests/s at most in each run, two runs of `--seconds`).
 */
const PEOPLE = Math.max(2_000, Math.ceil(seconds * 200));

interface Paced {
  perSecond: number;
  /** The server's CPU time (all its threads) per acknowledged webhook. */
  cpuMsEach: number;
  /** This process's CPU time per acknowledged webhook: the load generator and the fake providers, on the same cores. */
  benchCpuMsEach: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  ok: number;
}

/** Webhooks from `make` sent at a steady `perSecond` for `seconds`; latency counted from each one's due time. */
async function paced(target: ServerProcess, make: () => SignedWebhook, perSecond: number, seconds: number): Promise<Paced> {
  const latencies: number[] = [];
  let errors = 0;
  const cpuBefore = target.cpuMs();
  const benchBefore = process.cpuUsage();
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  const total = Math.round(perSecond * seconds);
  for (let n = 0; n < total; ) {
    for (const now = performance.now(); n < total && started + (n * 1000) / perSecond <= now; n++) {
      const due = started + (n * 1000) / perSecond;
      const request = target.post(make()).then(
        (status) => (status >= 200 && status < 300 ? void latencies.push(performance.now() - due) : void errors++),
        () => void errors++,
      );
      inFlight.add(request);
      void request.finally(() => inFlight.delete(request));
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(inFlight);
  const cpuMsEach = (target.cpuMs() - cpuBefore) / Math.max(1, latencies.length);
  const bench = process.cpuUsage(benchBefore);
  const benchCpuMsEach = (bench.user + bench.system) / 1000 / Math.max(1, latencies.length);
  const elapsed = (performance.now() - started) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  const at = (p: number) => percentile(sorted, p) ?? Number.NaN;
  return { perSecond: sorted.length / elapsed, cpuMsEach, benchCpuMsEach, p50: at(50), p99: at(99), max: sorted.at(-1) ?? Number.NaN, errors, ok: sorted.length };
}

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
  const telegramWebhook = (): SignedWebhook => {
    const id = updateId++;
    return signedTelegram(textUpdate("hola, es peligroso el darien?", { id: 100_000 + (id % PEOPLE) }, id));
  };
  let sid = 1;
  const twilioWebhook = (): SignedWebhook => {
    const n = sid++;
    return signedTwilio(twilioMessage(`SM${String(n).padStart(32, "0")}`, `whatsapp:${fictionalNumber(n % PEOPLE)}`, "kijan pou m mande azil"));
  };
  const autocannonRequest = (make: () => SignedWebhook): AutocannonRequest => ({
    method: "POST",
    setupRequest: (request) => {
      const { path, headers, body } = make();
      return { ...request, path, headers, body };
    },
  });

  const base = { connections, duration: seconds };
  const only = flagString(flags, "channel");
  if (only !== undefined && only !== "telegram" && only !== "whatsapp") throw new Error("--channel is telegram or whatsapp");
  const results: [string, autocannon.Result][] = [];
  results.push(["bare Hono route (same machine)", await run({ ...base, url: `http://127.0.0.1:${barePort}`, requests: [{ method: "POST", path: "/bare", headers: { "content-type": "application/json" }, body: '{"update_id":1}' }] })]);
  const acked = { telegram: 0, whatsapp: 0 };
  // Counted by path: parsing every recorded body at each look would load the machine while the outbox drains.
  const count = (fake: FakeTelegram | FakeTwilio, suffix: string) => fake.requests.filter((r) => r.path.endsWith(suffix)).length;
  const delivered = () => ({ telegram: count(telegram, "/sendMessage"), whatsapp: count(twilio, "/Messages.json") });
  /** Acknowledged webhooks whose reply has not reached the fake provider yet. */
  const missing = () => {
    const now = delivered();
    return Math.max(0, acked.telegram - now.telegram) + Math.max(0, acked.whatsapp - now.whatsapp);
  };
  /**
   * Waits for the replies to catch up with the acknowledgements, so that each run starts with an empty outbox;
   * returns how many were still to deliver when the run ended and how long the last of them took to arrive.
   */
  const settle = async (): Promise<{ behind: number; drainMs: number }> => {
    const behind = missing();
    const drainStart = performance.now();
    let drainMs = 0;
    // Until every acknowledged webhook has its reply, or nothing has arrived for 10 s.
    for (let quiet = 0, last = behind; last > 0 && quiet < 40; ) {
      await new Promise((r) => setTimeout(r, 250));
      const now = missing();
      quiet = now === last ? quiet + 1 : 0;
      if (now !== last) drainMs = performance.now() - drainStart;
      last = now;
    }
    // Then until the server is nearly idle (the checkpoints and collections a run leaves behind would be counted in
    // the next run's CPU time), for 10 s at most.
    for (let i = 0, cpu = server!.cpuMs(); i < 40; i++) {
      await new Promise((r) => setTimeout(r, 250));
      const used = server!.cpuMs() - cpu;
      cpu += used;
      if (used < 25) break;
    }
    return { behind, drainMs };
  };
  const lag: [string, { behind: number; drainMs: number }][] = [];
  const steady: [string, Paced][] = [];
  const channels = [
    { key: "telegram", name: "Telegram webhook (signed)", make: telegramWebhook },
    { key: "whatsapp", name: "Twilio WhatsApp webhook (signed)", make: twilioWebhook },
  ] as const;
  for (const { key, name, make } of channels.filter((c) => only === undefined || c.key === only)) {
    results.push([name, await run({ ...base, url: server.url, requests: [autocannonRequest(make)] })]);
    acked[key] += results.at(-1)![1]["2xx"];
    lag.push([`${key}, as fast as it answers`, await settle()]);
    steady.push([name, await paced(server, make, rate, seconds)]);
    acked[key] += steady.at(-1)![1].ok;
    lag.push([`${key}, at ${rate}/s`, await settle()]);
  }
  // autocannon stops with requests in flight: those were processed (and answered) but not counted as acknowledged.
  const lost = missing();

  console.log(`Webhook benchmark: ${seconds} s per run, ${connections} connections, loopback, built-in embedder, SQLite (WAL)\n`);
  console.log(`${"".padEnd(36)}${"req/s".padStart(9)}${"p50 ms".padStart(9)}${"p99 ms".padStart(9)}${"errors".padStart(9)}${"non-2xx".padStart(9)}`);
  for (const [name, r] of results) {
    console.log(`${name.padEnd(36)}${Math.round(r.requests.average).toString().padStart(9)}${r.latency.p50.toFixed(1).padStart(9)}${r.latency.p99.toFixed(1).padStart(9)}${String(r.errors + r.timeouts).padStart(9)}${String(r.non2xx).padStart(9)}`);
  }
  console.log(`\nAt a steady ${rate} requests/s (open loop; latency from when each request was due)\n`);
  console.log(`${"".padEnd(36)}${"req/s".padStart(9)}${"p50 ms".padStart(9)}${"p99 ms".padStart(9)}${"max ms".padStart(9)}${"errors".padStart(9)}${"CPU ms/req".padStart(12)}${"bench CPU".padStart(11)}`);
  for (const [name, r] of steady) {
    console.log(`${name.padEnd(36)}${Math.round(r.perSecond).toString().padStart(9)}${r.p50.toFixed(1).padStart(9)}${r.p99.toFixed(1).padStart(9)}${r.max.toFixed(1).padStart(9)}${String(r.errors).padStart(9)}${r.cpuMsEach.toFixed(2).padStart(12)}${r.benchCpuMsEach.toFixed(2).padStart(11)}`);
  }
  console.log("(CPU ms/req: the server's CPU time, all its threads, per webhook at that rate, replies sent included;");
  console.log(" bench CPU: this process's, which sends the webhooks and runs the fake providers, on the same 2 cores)");
  const bareRate = results[0]![1].requests.average;
  console.log(`\n${results.slice(1).map(([name, r]) => `${name.startsWith("Twilio") ? "WhatsApp" : "Telegram"} at ${((r.requests.average / bareRate) * 100).toFixed(1)}%`).join(", ")} of the bare route`);
  const final = delivered();
  console.log(`acknowledged: ${acked.telegram} Telegram + ${acked.whatsapp} WhatsApp; replies delivered: ${final.telegram} + ${final.whatsapp} (including requests still in flight when a run ended); lost: ${lost}`);
  console.log("replies still to deliver when each run ended:");
  for (const [run, { behind, drainMs }] of lag) console.log(`  ${run}: ${behind}, all delivered within ${Math.round(drainMs)} ms (±250 ms)`);
} finally {
  for (const child of children) child.kill("SIGTERM");
  await server?.stop();
  await telegram.stop();
  await twilio.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
