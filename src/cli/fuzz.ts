import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { FakeTelegram } from "../../tests/support/fake-telegram.js";
import { FakeTwilio } from "../../tests/support/fake-twilio.js";
import { exitQuietlyOnClosedPipe, flagString, parseFlags } from "./args.js";
import { FUZZ_KINDS, fuzzRequest, type FuzzRequest } from "./fuzz-requests.js";
import { ServerProcess } from "../../tests/support/server-process.js";

/**
 * `npm run fuzz [-- --count 10000 --concurrency 8 --seed 42]`: the real server (a child process, as `npm start`
 * runs it, Telegram and Twilio pointed at local fakes, a temporary DATA_DIR) receives malformed and mutated
 * requests on loopback (see fuzz-requests.ts). Prints the answers by status and by kind of request, connection
 * errors, whether the server survived, its memory before and after, and whether it still stops cleanly. Exits 1
 * on any 5xx, connection error, crash or unclean stop.
 */
exitQuietlyOnClosedPipe();
const flags = parseFlags(process.argv.slice(2));
const count = Number(flagString(flags, "count") ?? 1_000);
const concurrency = Number(flagString(flags, "concurrency") ?? 8);
const seed = Number(flagString(flags, "seed") ?? Math.floor(Math.random() * 2 ** 32));
for (const [name, value] of [["count", count], ["concurrency", concurrency], ["seed", seed]] as const) {
  if (!Number.isSafeInteger(value) || value < 0 || (name === "concurrency" && value < 1)) {
    console.error(`--${name} must be a whole number${name === "concurrency" ? " of at least 1" : ""}`);
    process.exit(2);
  }
}
const MAX_BODY_BYTES = 64 * 1024;
const TIMEOUT_MS = 30_000;

type Outcome = { status: number } | { error: string };

/** One request over its own keep-alive pool; a response counts even if the socket breaks after it. */
function send(agent: Agent, port: number, r: FuzzRequest): Promise<Outcome> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (outcome: Outcome) => {
      if (!settled) resolve(outcome);
      settled = true;
    };
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of r.headers) {
      const seen = headers[name];
      headers[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
    }
    if (r.body && !r.chunked) headers["content-length"] = String(r.body.length);
    const req = request({ host: "127.0.0.1", port, method: r.method, path: r.path, headers, agent, timeout: TIMEOUT_MS }, (res) => {
      done({ status: res.statusCode ?? 0 });
      res.resume();
    });
    req.on("timeout", () => req.destroy(Object.assign(new Error("timeout"), { code: "TIMEOUT" })));
    req.on("error", (error: NodeJS.ErrnoException) => done({ error: error.code ?? error.message }));
    if (r.body && r.chunked) {
      const third = Math.ceil(r.body.length / 3);
      for (let at = 0; at < r.body.length; at += third) req.write(r.body.subarray(at, at + third));
    } else if (r.body) req.write(r.body);
    req.end();
  });
}

/** The server's resident memory, from /proc (Linux); "n/a" once it is gone. */
function rssMb(server: ServerProcess): string {
  try {
    return `${(server.usage().rssKb / 1024).toFixed(1)} MB`;
  } catch {
    return "n/a";
  }
}

const telegram = await new FakeTelegram().start();
const twilio = await new FakeTwilio().start();
const dataDir = mkdtempSync(join(tmpdir(), "brujula-fuzz-"));
let failed = true;
try {
  // Nothing leaves the machine: providers are local fakes, no model download, listening on 127.0.0.1 only.
  const server = await ServerProcess.start({ dataDir, telegram, twilio, env: { LOG_LEVEL: "warn", MAX_BODY_BYTES: String(MAX_BODY_BYTES), ALLOW_MODEL_DOWNLOAD: "off" } });
  // The server's warnings and errors, counted by event (its log lines carry no message text by design).
  const logged = new Map<string, number>();
  const other: string[] = [];
  createInterface({ input: server.child.stderr! }).on("line", (line) => {
    try {
      const { level, event } = JSON.parse(line) as { level: string; event: string };
      logged.set(`${level} ${event}`, (logged.get(`${level} ${event}`) ?? 0) + 1);
    } catch {
      other.push(line);
    }
  });
  // Interrupted (Ctrl-C, a test's timeout), the fuzzer takes its server down with it.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      server.child.kill("SIGKILL");
      process.exit(130);
    });
  }
  const pid = server.child.pid;
  const port = Number(new URL(server.url).port);
  const rssStart = rssMb(server);
  console.log(`Fuzzing ${server.url} (pid ${pid}): ${count} requests, concurrency ${concurrency}, seed ${seed}\n`);

  const byKind = new Map<string, Map<string, number>>(FUZZ_KINDS.map((k) => [k, new Map()]));
  const byStatus = new Map<string, number>();
  const firstFailures: string[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const started = performance.now();
  // Memory every quarter of the run: growth that does not level off is a leak.
  const rss = [rssStart];
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < count; index = next++) {
      if (index > 0 && index % Math.ceil(count / 4) === 0) rss.push(rssMb(server));
      const r = fuzzRequest(seed, index, MAX_BODY_BYTES);
      const outcome = await send(agent, port, r);
      const key = "status" in outcome ? String(outcome.status) : `error ${outcome.error}`;
      const column = "status" in outcome ? `${Math.floor(outcome.status / 100)}xx` : "conn-err";
      const row = byKind.get(r.kind)!;
      row.set(column, (row.get(column) ?? 0) + 1);
      byStatus.set(key, (byStatus.get(key) ?? 0) + 1);
      if ((column === "5xx" || column === "conn-err") && firstFailures.length < 10) firstFailures.push(`#${index} ${r.kind} ${r.method} ${r.path.slice(0, 60)} → ${key}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  const healthy = await fetch(`${server.url}/health`).then((r) => r.status === 200, () => false);
  const alive = server.child.exitCode === null && server.child.signalCode === null && healthy;
  const rssEnd = rssMb(server);
  // Then it must still stop as on a deploy: SIGTERM, the outbox flushed, exit 0 (it gives itself 15 s).
  const stopping = performance.now();
  const { code: exitCode } = await server.stop("SIGTERM");
  const stopSeconds = (performance.now() - stopping) / 1000;

  const columns = ["2xx", "3xx", "4xx", "5xx", "conn-err"];
  console.log(`${"kind".padEnd(22)}${"total".padStart(7)}${columns.map((c) => c.padStart(9)).join("")}`);
  for (const [kind, row] of byKind) {
    const total = [...row.values()].reduce((a, b) => a + b, 0);
    console.log(`${kind.padEnd(22)}${String(total).padStart(7)}${columns.map((c) => String(row.get(c) ?? 0).padStart(9)).join("")}`);
  }
  console.log(`\n${"status".padEnd(22)}${"count".padStart(7)}`);
  for (const [status, n] of [...byStatus].sort()) console.log(`${status.padEnd(22)}${String(n).padStart(7)}`);
  const fivexx = [...byStatus].filter(([s]) => s.startsWith("5")).reduce((sum, [, n]) => sum + n, 0);
  const connectionErrors = [...byStatus].filter(([s]) => s.startsWith("error")).reduce((sum, [, n]) => sum + n, 0);
  console.log(`\n5xx: ${fivexx}   connection errors: ${connectionErrors}   ${seconds.toFixed(1)} s (${Math.round(count / seconds)} req/s)`);
  console.log(`server alive after the run: ${alive ? "yes" : "NO"} (/health ${healthy ? "200" : "failing"})`);
  console.log(`server RSS: ${[...rss, rssEnd].join(" → ")} (start, each quarter, end)`);
  console.log(`server stopped on SIGTERM: exit ${exitCode} after ${stopSeconds.toFixed(1)} s`);
  console.log(`server log: ${[...logged].map(([e, n]) => `${e} ×${n}`).join(", ") || "no warnings or errors"}${other.length ? `; ${other.length} other lines` : ""}`);
  for (const failure of firstFailures) console.log(`  ${failure}`);
  if (!alive) for (const line of other.slice(-20)) console.log(`  | ${line}`);
  failed = fivexx > 0 || connectionErrors > 0 || !alive || exitCode !== 0;
} finally {
  await telegram.stop();
  await twilio.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
