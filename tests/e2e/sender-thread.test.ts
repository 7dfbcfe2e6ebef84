import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.js";
import type { OutboxThread } from "../../src/outbox-thread.js";
import { TEST_SECRET } from "../support/app.js";
import { FakeTelegram } from "../support/fake-telegram.js";
import { FakeTwilio } from "../support/fake-twilio.js";
import { mixedMessage, takeReplies } from "../support/mixed-load.js";
import { ServerProcess } from "../support/server-process.js";
import { channelService, postTelegram, textUpdate, waitForOutbox } from "../support/service.js";
import { tempDir } from "../support/temp.js";

/**
 * The outbox sender on a thread of its own (SENDER_THREAD=on, the default with a database file) delivers what the
 * main thread's would: every reply, counted by /metrics; with SENDER_THREAD=off the main thread still does; and a
 * sender thread that dies mid-send is replaced without a reply lost.
 */
const MESSAGES = 90;

/** The nice value of each of a process's threads, by thread id (Linux: field 19 of /proc/<pid>/task/<tid>/stat). */
function niceValues(pid: number): Map<number, number> {
  const nice = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      // The thread's name (field 2) may hold ") ": fields are counted after the last one.
      nice.set(Number(tid), Number(stat.slice(stat.lastIndexOf(") ") + 2).split(" ")[16]));
    } catch {
      // a thread that ended while being listed
    }
  }
  return nice;
}

describe("the sender thread", () => {
  let telegram: FakeTelegram;
  let twilio: FakeTwilio;
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = tempDir("sender");
    dirs.push(dir);
    return dir;
  };

  beforeAll(async () => {
    telegram = await new FakeTelegram().start();
    twilio = await new FakeTwilio().start();
  });
  afterAll(async () => {
    await telegram.stop();
    await twilio.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** Mixed traffic through the real server; every person's replies arrive, and /metrics counts each send. */
  async function deliversEverything(senderThread: "on" | "off"): Promise<Record<string, any>> {
    const env = { ID_HASH_SECRET: TEST_SECRET, FASTTEXT: "off", INTERPRETER_THREADS: "0", SENDER_THREAD: senderThread };
    const server = await ServerProcess.start({ dataDir: dataDir(), telegram, twilio, env });
    try {
      takeReplies(telegram, twilio);
      const messages = Array.from({ length: MESSAGES }, (_, n) => mixedMessage(n, MESSAGES));
      expect(await Promise.all(messages.map((m) => server.post(m.webhook)))).toEqual(messages.map(() => 200));
      let health = await server.health();
      for (let i = 0; i < 100 && (health?.outbox.pending !== 0 || health?.outbox.sending !== 0); i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        health = await server.health();
      }
      expect(health?.outbox, server.log()).toMatchObject({ pending: 0, sending: 0, failed: 0 });
      const replies = takeReplies(telegram, twilio);
      const answered = new Set(replies.map((r) => r.recipient));
      expect(messages.filter((m) => !answered.has(m.recipient)).map((m) => m.n)).toEqual([]);
      const metrics = await fetch(`${server.url}/metrics`).then((r) => r.text());
      const sent = [...metrics.matchAll(/^brujula_sends_total\{[^}]*outcome="sent"[^}]*\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
      expect(sent).toBe(replies.length);
      expect(health!.outbox.sent).toBe(replies.length);
      if (process.platform === "linux") {
        // The sender thread runs at a lower priority than the others (10 more nice): sending is not on the path of
        // an acknowledgement. The main thread (its id is the process's) and the rest keep the process's own.
        const nice = niceValues(server.pid);
        const base = nice.get(server.pid)!;
        const lowered = [...nice].filter(([, value]) => value !== base);
        expect(lowered.map(([tid, value]) => [tid === server.pid, value])).toEqual(senderThread === "on" ? [[false, Math.min(19, base + 10)]] : []);
      }
      return health!;
    } finally {
      expect(await server.stop(), server.log()).toEqual({ code: 0, signal: null });
    }
  }

  it("delivers every reply from its own thread, and /metrics counts each send", async () => {
    const health = await deliversEverything("on");
    expect(health.sender.thread).toEqual(expect.any(Number));
    expect(health.sender.thread).toBeGreaterThan(0);
    expect(health.sender.restarts).toBe(0);
  }, 60_000);

  it("with SENDER_THREAD=off, the main thread delivers every reply", async () => {
    const health = await deliversEverything("off");
    expect(health.sender).toEqual({ thread: "main" });
  }, 60_000);

  it("a sender thread that dies mid-send is logged and replaced, and every reply still goes out", async () => {
    const logs: string[] = [];
    const service = await channelService(
      { telegram },
      {
        databasePath: join(dataDir(), "brujula.sqlite"),
        env: { LOG_LEVEL: "warn" },
        logger: createLogger("warn", (line) => logs.push(line)),
        // A short lease: what the dead thread was sending goes out again soon.
        sender: { leaseMs: 1_500 },
      },
    );
    const sender = service.sender as OutboxThread;
    telegram.latencyMs = 400;
    try {
      const people = Array.from({ length: 24 }, (_, i) => 7_100 + i);
      for (const id of people) expect((await postTelegram(service, textUpdate("hola", { id }))).status).toBe(200);
      await waitForOutbox(service, (items) => items.some((i) => i.status === "sending"));
      const first = sender.threadId;
      expect(first).toEqual(expect.any(Number));
      await sender.crashForTest();

      await waitForOutbox(service, (items) => items.length >= people.length && items.every((i) => i.status === "sent"), 15_000);
      expect(sender.threadId).not.toBe(first);
      expect(sender.restarts).toBe(1);
      const answered = new Set(telegram.calls("sendMessage").map((c) => Number(c.params.chat_id)));
      expect(people.filter((id) => !answered.has(id))).toEqual([]);
      expect(logs.some((line) => line.includes('"event":"outbox.thread_died"'))).toBe(true);
    } finally {
      telegram.latencyMs = 0;
      await service.close();
    }
  }, 30_000);
});
