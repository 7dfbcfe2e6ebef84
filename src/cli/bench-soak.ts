import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FakeTelegram } from "../../tests/support/fake-telegram.js";
import { FakeTwilio } from "../../tests/support/fake-twilio.js";
import { mixedMessage, takeReplies } from "../../tests/support/mixed-load.js";
import { ServerProcess } from "../../tests/support/server-process.js";
import { exitQuietlyOnClosedPipe, flagString, parseFlags } from "./args.js";
import { percentile } from "./figures.js";

/**
 * `npm run bench:soak [-- --minutes 10 --rate 300 --every 30]`: the real server (a child process, as `npm start`
 * runs it, with local fake provider APIs) under a steady mixed load on loopback — Telegram, WhatsApp and SMS, one
 * message in twenty a handoff, thousands of people — for a while. Every `--every` seconds a row: messages/s, latency,
 * errors, the server's memory and open files, replies received against messages acknowledged, the outbox queue.
 * At the end, after the outbox has drained: memory growth after warm-up, the most files open, lost replies, and
 * PASS or FAIL against the targets (exit 1 on FAIL).
 */
exitQuietlyOnClosedPipe();
const flags = parseFlags(process.argv.slice(2));
const minutes = Number(flagString(flags, "minutes") ?? 10);
const rate = Number(flagString(flags, "rate") ?? 300);
const every = Number(flagString(flags, "every") ?? (minutes < 2 ? 5 : 30));
if (![minutes, rate, every].every((v) => Number.isFinite(v) && v > 0)) {
  console.error("usage: npm run bench:soak -- [--minutes 10] [--rate 300 (messages/s)] [--every 30 (seconds between rows)]");
  process.exit(2);
}

// Each person writes about 4 times a minute at most: under the rate limit (20 a minute), which would silence them.
const people = Math.max(3_000, Math.ceil((rate * 60) / 4 / 3) * 3);
/** Memory is compared from the first row after this share of the run (start-up caches and JIT settle first). */
const WARM_UP = 0.2;
/** Memory growth is judged on runs this long at least: a shorter one measures the warm-up itself. */
const JUDGE_MEMORY_MINUTES = 2;
const GROWTH_LIMIT_PCT = 10;
/** Open files may vary with the connections in use; a leak of one per message would pass this in seconds. */
const FD_SLACK = 32;
/** Requests in flight at most: past it the server is not keeping up, and the rest of that moment is skipped. */
const MAX_IN_FLIGHT = 1_000;

interface Row {
  elapsedS: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  rssMb: number;
  heapMb: number;
  fds: number;
  acked: number;
  replies: number;
  queued: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const columns: [keyof Row, string, number][] = [
  ["elapsedS", "elapsed s", 10], ["perSecond", "msg/s", 7], ["p50", "p50 ms", 8], ["p99", "p99 ms", 8], ["errors", "errors", 7], ["rssMb", "RSS MB", 8],
  ["heapMb", "heap MB", 8], ["fds", "fds", 5], ["acked", "acked", 9], ["replies", "replies", 9], ["queued", "outbox", 8],
];
const line = (cells: string[]) => cells.map((c, i) => c.padStart(columns[i]![2])).join("");

const telegram = await new FakeTelegram().start();
const twilio = await new FakeTwilio().start();
const dataDir = mkdtempSync(join(tmpdir(), "brujula-bench-soak-"));
let server: ServerProcess | undefined;
const cleanUp = async () => {
  await server?.stop("SIGKILL");
  await telegram.stop();
  await twilio.stop();
  rmSync(dataDir, { recursive: true, force: true });
};
process.once("SIGINT", () => void cleanUp().then(() => process.exit(130)));

let failed = true;
try {
  const running = (server = await ServerProcess.start({ dataDir, telegram, twilio, env: { LOG_LEVEL: "warn" }, echo: true }));
  console.log(`Soak: ${minutes} min at ${rate} messages/s (Telegram, WhatsApp, SMS; 5% handoffs; ${people.toLocaleString("en")} people), loopback, server pid ${running.pid}`);
  console.log(line(columns.map((c) => c[1])));

  const ackedBy = new Map<string, number>();
  const repliesBy = new Map<string, number>();
  let acked = 0;
  let replies = 0;
  /** Errors by kind: an HTTP status, or the connection's error code. */
  const errorKinds = new Map<string, number>();
  let skipped = 0;
  let inFlight = 0;
  let window = { started: performance.now(), latencies: [] as number[], errors: 0 };
  const countReplies = () => {
    for (const reply of takeReplies(telegram, twilio)) {
      replies++;
      repliesBy.set(reply.recipient, (repliesBy.get(reply.recipient) ?? 0) + 1);
    }
  };
  const send = (n: number) => {
    const message = mixedMessage(n, people);
    const sent = performance.now();
    inFlight++;
    void running
      .post(message.webhook)
      .then((status) => {
        if (status < 200 || status >= 300) throw new Error(String(status));
        acked++;
        ackedBy.set(message.recipient, (ackedBy.get(message.recipient) ?? 0) + 1);
        window.latencies.push(performance.now() - sent);
      })
      .catch((error: unknown) => {
        const kind = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
        errorKinds.set(kind, (errorKinds.get(kind) ?? 0) + 1);
        window.errors++;
      })
      .finally(() => inFlight--);
  };
  const rows: Row[] = [];
  const takeRow = async (): Promise<Row> => {
    countReplies();
    const done = window;
    window = { started: performance.now(), latencies: [], errors: 0 };
    const seconds = (window.started - done.started) / 1000;
    const sorted = done.latencies.sort((a, b) => a - b);
    const health = await running.health();
    const outbox = (health?.outbox ?? {}) as Record<string, number>;
    const { rssKb, fds } = running.usage();
    const row: Row = {
      elapsedS: Math.round((window.started - started) / 100) / 10,
      perSecond: Math.round(sorted.length / seconds),
      p50: Math.round(percentile(sorted, 50) ?? 0),
      p99: Math.round(percentile(sorted, 99) ?? 0),
      errors: done.errors,
      rssMb: Math.round(rssKb / 1024),
      heapMb: Number(health?.memory?.heapUsedMb ?? Number.NaN),
      fds,
      acked,
      replies,
      queued: (outbox.pending ?? 0) + (outbox.sending ?? 0),
    };
    console.log(line(columns.map(([key]) => String(row[key]))));
    rows.push(row);
    return row;
  };

  // Open loop: message n is due at n / rate seconds, whatever the server's latency (a provider does not wait).
  const started = performance.now();
  const end = started + minutes * 60_000;
  let issued = 0;
  let nextRow = started + every * 1000;
  for (let now = started; now < end; now = performance.now()) {
    const due = Math.floor(((now - started) / 1000) * rate);
    for (; issued < due; issued++) {
      if (inFlight >= MAX_IN_FLIGHT) {
        skipped += due - issued;
        issued = due;
        break;
      }
      send(issued);
    }
    if (now >= nextRow) {
      await takeRow();
      nextRow += every * 1000;
    }
    await sleep(5);
  }
  for (const deadline = performance.now() + 30_000; inFlight > 0 && performance.now() < deadline; ) await sleep(20);
  if (performance.now() - window.started > 1000) await takeRow();

  // The final drain: until the outbox has nothing pending or being sent and the fakes have stopped receiving; a
  // backlog may take a while, so the wait ends early only when nothing has moved for 30 s.
  const drainStarted = performance.now();
  let outbox: Record<string, number> = {};
  for (let quiet = 0, last = -1, moved = drainStarted; quiet < 3 && performance.now() - moved < 30_000; await sleep(250)) {
    countReplies();
    outbox = ((await running.health())?.outbox ?? {}) as Record<string, number>;
    quiet = outbox.pending === 0 && outbox.sending === 0 && replies === last ? quiet + 1 : 0;
    if (replies !== last) moved = performance.now();
    last = replies;
  }
  const drainS = ((performance.now() - drainStarted) / 1000).toFixed(1);

  // A person who got fewer replies than messages acknowledged lost one (each message here gets at least one
  // reply); a reply still queued, failed or held after the drain is lost too.
  let shortfall = 0;
  for (const [recipient, count] of ackedBy) shortfall += Math.max(0, count - (repliesBy.get(recipient) ?? 0));
  const unsent = (outbox.pending ?? 0) + (outbox.sending ?? 0) + (outbox.failed ?? 0) + (outbox.held ?? 0);
  const lost = shortfall + unsent;

  const last = rows.at(-1)!;
  const warm = rows.find((r) => r.elapsedS >= minutes * 60 * WARM_UP) ?? rows[0]!;
  const judgeMemory = minutes >= JUDGE_MEMORY_MINUTES && rows.length >= 2;
  const growth = ((last.rssMb - warm.rssMb) / warm.rssMb) * 100;
  const heapGrowth = ((last.heapMb - warm.heapMb) / warm.heapMb) * 100;
  const maxFds = Math.max(...rows.map((r) => r.fds));
  const fdsBounded = rows.filter((r) => r.elapsedS >= warm.elapsedS).every((r) => r.fds <= warm.fds + FD_SLACK);
  const pct = (v: number) => `${v >= 0 ? "+" : ""}${v.toFixed(1)}%`;

  console.log(`\nsent ${issued.toLocaleString("en")} webhooks in ${minutes} min (${(acked / (minutes * 60)).toFixed(0)} acknowledged/s of ${rate} asked${skipped ? `; ${skipped} skipped: more than ${MAX_IN_FLIGHT} in flight` : ""})`);
  console.log(`drained in ${drainS} s: acknowledged ${acked.toLocaleString("en")}, replies at the fakes ${replies.toLocaleString("en")}, outbox ${JSON.stringify(outbox)}`);
  console.log(
    judgeMemory
      ? `memory growth after warm-up (row at ${warm.elapsedS} s → ${last.elapsedS} s): RSS ${pct(growth)} (${warm.rssMb} → ${last.rssMb} MB), heap ${pct(heapGrowth)} (${warm.heapMb} → ${last.heapMb} MB)`
      : `memory: RSS ${warm.rssMb} → ${last.rssMb} MB, heap ${warm.heapMb} → ${last.heapMb} MB (growth is judged on runs of ${JUDGE_MEMORY_MINUTES} minutes or more)`,
  );
  console.log(`open files: at most ${maxFds} (${warm.fds} after warm-up, bound ${warm.fds + FD_SLACK})`);
  const errors = [...errorKinds.values()].reduce((a, b) => a + b, 0);
  const kinds = [...errorKinds].map(([kind, n]) => `${kind} ×${n}`).join(", ");
  console.log(`errors: ${errors}${kinds ? ` (${kinds})` : ""}; lost replies: ${lost} (people short of a reply: ${shortfall}, left in the outbox: ${unsent})`);
  const checks: [string, boolean][] = [
    [`memory growth < ${GROWTH_LIMIT_PCT}%`, !judgeMemory || growth < GROWTH_LIMIT_PCT],
    ["fds bounded", fdsBounded],
    ["zero errors", errors === 0],
    ["zero lost", lost === 0],
  ];
  failed = checks.some(([, ok]) => !ok);
  console.log(`${failed ? "FAIL" : "PASS"}: ${checks.map(([name, ok]) => `${name} ${ok ? "ok" : "NOT MET"}`).join(", ")}`);
} finally {
  await cleanUp();
}
process.exit(failed ? 1 : 0);
