import type { Worker } from "node:worker_threads";
import type { ChannelConfig } from "./channels/index.js";
import type { OutboxSender } from "./channels/outbox-sender.js";
import type { SendRate } from "./channels/send-pacing.js";
import type { Channel } from "./core/ports.js";
import type { OutboxItem, SendOutcome } from "./core/store/outbox.js";
import type { Logger, LogLevel } from "./log.js";
import type { Keyring } from "./store/sealing.js";
import { oncePerTurn, sibling, startWorker } from "./threads.js";

/**
 * On Node with a database file, the outbox is delivered by a thread of its own: claiming and the providers' HTTP
 * calls are about a fifth of the main thread's work under load, and the second core has room. The thread opens
 * its own SQLite connection to the same file (WAL: readers never wait) and its own transports, and runs the same
 * OutboxSender as the main thread would. The service talks to it through this object, which has the sender's own
 * interface.
 *
 * Two writers share the file. A claim looks for due items outside the lock and takes it only to update them
 * (SqliteStore.claimDue); claims and outcomes go through the thread's own group commit, so they share commits.
 * When the main thread's group commit finds the lock taken, it does not sleep in SQLite's busy handler (which
 * would hold every request of the event loop): it tries again a millisecond later, and the writes queued in the
 * meantime join it (GroupCommit). Handing the outcomes to the main thread's group commit instead was tried and
 * measured (`npm run bench:webhook`, a loaded machine): each send then held its place until the busy main thread
 * had written its outcome, and the sender (16 places) fell 2,300–2,800 replies behind the webhooks; written on
 * the thread, it kept up.
 *
 * The thread runs at a lower priority than the others (nice 10, Linux; outbox-worker.ts): an acknowledgement needs
 * the main thread and an interpreter thread, and a send is not on its way. With every core busy, the two then go
 * first and the replies wait instead, in the outbox, until the load falls. An acknowledgement can still wait for
 * this thread where they share the file: a main-thread commit retries while this thread holds the write lock (its
 * claims and outcomes, short transactions) or restarts the WAL, and a preempted holder makes it retry longer
 * (priority inversion, bounded by the busy timeout); the runs below include that cost. Measured with
 * `npm run bench:webhook -- --channel telegram`, three runs each on a loaded 2-core VM (2026-11-27): at a steady
 * 1,000 webhooks/s, p99 94–186 ms (p50 11–22) with the lower priority against 509–3,707 ms (p50 106–1,845) without;
 * as fast as it answers, 1,063–1,230 webhooks/s against 570–816. What it costs: at that rate on that machine, the
 * sender fell 2,500–4,600 replies behind in 10 s and caught up within 1.5–3.7 s of the end (nothing lost).
 *
 * The thread's connection also does the checkpoints (WAL back into the database file, with two fsyncs) while it
 * runs, on its own commits and once a second: the main thread's commits then never wait for the disk.
 *
 * Nothing can be lost by the thread: replies are in the store before anyone kicks it, and an item it was sending
 * when it died is sent again once its lease has passed (the new thread claims it), as after a crash.
 */
export type Sender = Pick<OutboxSender, "start" | "kick" | "drain" | "stop">;

/** What the thread needs to build its store and transports; plain data (it is copied to the thread). */
export interface OutboxThreadBuild {
  databasePath: string;
  ring: Keyring;
  channels: ChannelConfig;
  /** The service's log level: lines below it are dropped on the thread rather than sent over to be dropped. */
  logLevel: LogLevel;
  /** The sender's settings that are data (the outcome callback and the clock stay on this side). */
  options: { concurrency?: number; leaseMs?: number; pollMs?: number; maxAttempts?: number; baseBackoffMs?: number; rates?: Partial<Record<Channel, SendRate>> };
}

export type LogLine = [level: "debug" | "info" | "warn" | "error", event: string, fields: Record<string, unknown> | undefined];
export type ToThread = { type: "kick" } | { type: "drain"; id: number } | { type: "stop"; flushMs: number };
export type FromThread =
  | { type: "ready" }
  /** What happened since the last report: at most one report per turn of the thread's event loop. */
  | { type: "report"; outcomes: [Channel, SendOutcome][]; logs: LogLine[] }
  | { type: "drained"; id: number };

/** Restarts after failures wait longer each time (a thread that cannot start must not spin). */
const RESTART_BACKOFF_MS = [100, 1_000, 5_000, 30_000, 60_000];
/**
 * How long stop() waits past its flush window for the thread to finish the sends in hand and close its store:
 * the transports give up after 10 s. Past it the thread is ended as a crash would end it (leases cover it).
 */
const STOP_GRACE_MS = 11_000;

export class OutboxThread implements Sender {
  private worker: Worker | undefined;
  private running = false;
  private nextDrain = 1;
  /** Drains asked for and not answered yet: asked again of the next thread if this one dies. */
  private readonly drains = new Map<number, () => void>();
  /** Consecutive deaths without the new thread getting ready (reset when one is ready), for the backoff. */
  private failures = 0;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  /** Threads started again after one died, since this process started. */
  restarts = 0;

  constructor(
    private readonly build: OutboxThreadBuild,
    private readonly logger: Logger,
    /** Told of every attempt's outcome (metrics), in batches from the thread. */
    private readonly onOutcome: (item: Pick<OutboxItem, "channel">, outcome: SendOutcome) => void,
    /** Told when a thread is ready (true) and when it ended (false): while one runs, it keeps the WAL short. */
    private readonly onRunning: (running: boolean) => void = () => {},
  ) {}

  /** The running thread's id (for /health), or null while there is none. */
  get threadId(): number | null {
    return this.worker?.threadId ?? null;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.spawn();
  }

  private spawn(): void {
    const worker = startWorker(sibling(import.meta.url, "outbox-worker"), this.build);
    this.worker = worker;
    worker.on("message", (message: FromThread) => this.receive(message));
    worker.on("error", (error) => this.logger.error("outbox.thread_error", { error: error.name }));
    worker.once("exit", (code) => this.exited(worker, code));
    // Drains asked of a thread that died are asked again of this one.
    for (const id of this.drains.keys()) worker.postMessage({ type: "drain", id } satisfies ToThread);
  }

  private receive(message: FromThread): void {
    if (message.type === "ready") {
      this.failures = 0;
      this.onRunning(true);
    } else if (message.type === "drained") {
      this.drains.get(message.id)?.();
      this.drains.delete(message.id);
    } else {
      for (const [level, event, fields] of message.logs) this.logger[level](event, fields);
      for (const [channel, outcome] of message.outcomes) this.onOutcome({ channel }, outcome);
    }
  }

  /** The thread ended: expected after stop(); otherwise it died, and another one takes over. */
  private exited(worker: Worker, code: number): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.onRunning(false);
    if (!this.running) return;
    const wait = RESTART_BACKOFF_MS[Math.min(this.failures, RESTART_BACKOFF_MS.length - 1)]!;
    this.failures++;
    this.logger.error("outbox.thread_died", { code, restartInMs: wait, failures: this.failures });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (!this.running) return;
      this.restarts++;
      this.spawn();
    }, wait);
    this.restartTimer.unref();
  }

  private readonly planKick = oncePerTurn(() => this.worker?.postMessage({ type: "kick" } satisfies ToThread));

  /** Something was queued: one message to the thread per turn of the event loop, however many webhooks ask. */
  kick(): void {
    if (this.worker) this.planKick();
  }

  /** Sends everything due now and resolves when nothing is in flight (tests, flushing). */
  drain(): Promise<void> {
    if (!this.running) return Promise.resolve();
    const id = this.nextDrain++;
    return new Promise((resolve) => {
      this.drains.set(id, resolve);
      this.worker?.postMessage({ type: "drain", id } satisfies ToThread);
    });
  }

  /**
   * Stops as the sender does (what is due keeps going out for `flushMs`, then the sends in hand finish), and waits
   * for the thread to close its store and end; a thread that takes longer than the transports' timeout is ended.
   */
  async stop(flushMs = 0): Promise<void> {
    this.running = false;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    const worker = this.worker;
    if (worker) {
      const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
      worker.postMessage({ type: "stop", flushMs } satisfies ToThread);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), flushMs + STOP_GRACE_MS)));
      if ((await Promise.race([exited, late])) === "late") {
        this.logger.error("outbox.thread_stop_timeout", { afterMs: flushMs + STOP_GRACE_MS });
        await worker.terminate();
      }
      clearTimeout(timer);
    }
    for (const resolve of this.drains.values()) resolve();
    this.drains.clear();
  }

  /** For tests: ends the thread the way a crash would, mid-send, to show another one takes over. */
  crashForTest(): Promise<number> {
    return this.worker?.terminate() ?? Promise.resolve(0);
  }
}
