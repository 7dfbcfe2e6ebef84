import Database from "better-sqlite3";
import { existsSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_SECRET } from "../support/app.js";
import { FakeTelegram } from "../support/fake-telegram.js";
import { FakeTwilio } from "../support/fake-twilio.js";
import { mixedMessage, takeReplies } from "../support/mixed-load.js";
import { ServerProcess } from "../support/server-process.js";
import { tempDir } from "../support/temp.js";

/**
 * SIGTERM (a deploy, `docker stop`) in the middle of traffic: the server stops taking connections, answers the
 * requests it has, sends the replies still queued, closes SQLite and exits 0 well before the 15 s a supervisor
 * waits before SIGKILL.
 */
const SIGNAL_AFTER = 60;
const MAX_MESSAGES = 2_000;
const CONCURRENCY = 24;

describe("a graceful stop", () => {
  let telegram: FakeTelegram;
  let twilio: FakeTwilio;
  let server: ServerProcess | undefined;
  const dataDir = tempDir("sigterm");

  beforeAll(async () => {
    telegram = await new FakeTelegram().start();
    twilio = await new FakeTwilio().start();
  });
  afterAll(async () => {
    await server?.stop("SIGKILL");
    await telegram.stop();
    await twilio.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("finishes the requests in flight, sends the queued replies, closes the database and exits 0", async () => {
    server = await ServerProcess.start({ dataDir, telegram, twilio, env: { ID_HASH_SECRET: TEST_SECRET, FASTTEXT: "off", INTERPRETER_THREADS: "0" } });
    // Slow providers (a send takes 150 ms, 16 at a time): replies are still queued when the signal comes.
    telegram.latencyMs = 150;
    twilio.latencyMs = 150;
    // The providers keep sending, on kept-alive connections, until the server refuses them: each worker stops at
    // its first refused request (a provider backs off and retries later).
    const messages = Array.from({ length: MAX_MESSAGES }, (_, n) => mixedMessage(n, MAX_MESSAGES));
    const outcomes = new Map<number, number | string>();
    let next = 0;
    let stoppedAt = 0;
    const running = server;
    const worker = async () => {
      while (next < messages.length) {
        const message = messages[next++]!;
        const outcome = await running.post(message.webhook).catch((error: unknown) => String(error));
        outcomes.set(message.n, outcome);
        if (typeof outcome === "string") return;
        if (outcomes.size === SIGNAL_AFTER) {
          stoppedAt = performance.now();
          running.child.kill("SIGTERM");
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const exit = await running.exited;
    const stopMs = performance.now() - stoppedAt;
    server = undefined;
    expect(exit, running.log()).toEqual({ code: 0, signal: null });
    expect(stopMs).toBeLessThan(15_000);
    // SQLite was closed: the last connection checkpointed the write-ahead log and removed it (looked at before
    // this test opens the file itself).
    const wal = join(dataDir, "brujula.sqlite-wal");
    expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);

    // What the server processed, it acknowledged: a request it had started was never cut off. What it did not
    // take (a connection refused after the signal) the provider sends again later.
    const acked = messages.filter((m) => outcomes.get(m.n) === 200);
    const refused = [...outcomes.values()].filter((o) => typeof o === "string");
    expect([...outcomes.values()].filter((o) => typeof o === "number" && o !== 200)).toEqual([]);
    const db = new Database(join(dataDir, "brujula.sqlite"), { readonly: true });
    const processed = (db.prepare("SELECT external_id FROM inbound").all() as { external_id: string }[]).map((r) => r.external_id).sort();
    expect(processed).toEqual(acked.map((m) => m.externalId).sort());

    // Every reply queued before the exit was sent: nothing is left in the outbox, and each person has theirs.
    const left = db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE status != 'sent'").get() as { n: number };
    const integrity = db.pragma("integrity_check", { simple: true });
    db.close();
    expect(left.n).toBe(0);
    const recipients = new Set(takeReplies(telegram, twilio).map((r) => r.recipient));
    expect(acked.filter((m) => !recipients.has(m.recipient)).map((m) => m.n)).toEqual([]);

    expect(integrity).toBe("ok");
    console.log(`graceful stop: ${acked.length} acknowledged, ${refused.length} refused after the signal (${[...new Set(refused)].join("; ")}), exited 0 in ${Math.round(stopMs)} ms`);
    expect(acked.length).toBeGreaterThan(SIGNAL_AFTER);
  }, 60_000);
});
