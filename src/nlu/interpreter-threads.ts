import type { EmbeddingSettings } from "../runtime-node.js";
import type { Worker } from "node:worker_threads";
import type { Interpretation, Interprets } from "../core/interpret.js";
import type { LanguageContext } from "../core/language/detect.js";
import type { Logger } from "../log.js";
import { batchPerTurn, sibling, startWorker } from "../threads.js";

/**
 * Reading a message (language, safety screen, matcher) is most of a message's CPU. On Node it can run on other
 * threads while the main thread serves HTTP, SQLite and the outbox: each thread builds its own assistant from
 * the same data, so answers are identical. If a thread dies, its messages are read on the main thread instead
 * and a new thread is started: nothing is lost, only slower.
 */
interface Pending {
  text: string;
  context: LanguageContext;
  resolve: (value: Interpretation) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** A reading takes about a millisecond; one that takes this long means the thread is stuck: it is replaced. */
const JOB_TIMEOUT_MS = 5_000;
/** Restarts after failures wait longer each time (a thread that cannot start must not spin). */
const RESTART_BACKOFF_MS = [100, 1_000, 5_000, 30_000, 60_000];

/** A message to read, as sent to a thread; the thread answers with a Reading of the same id. */
export interface Job {
  id: number;
  text: string;
  context: LanguageContext;
}

export interface Reading {
  id: number;
  result?: Interpretation;
  error?: string;
}

/**
 * A thread and the messages it is reading. The messages of one turn of the event loop go to it together, in one
 * postMessage, and it answers those of one of its turns together. `npm run bench:threads`, two runs each on a noisy
 * 2-core VM: with 10 and 30 messages a turn (a loaded server), 351–494 µs of CPU a message in batches against
 * 465–598 one by one; reading on the main thread alone took 253–404 in the same runs.
 */
class Thread {
  readonly pending = new Map<number, Pending>();
  readonly send = batchPerTurn<Job>((jobs) => this.worker.postMessage(jobs));
  constructor(readonly worker: Worker) {}
}

/** How each thread builds its assistant: the same data and detectors as the main thread's. */
export interface ThreadBuild {
  fastText: boolean;
  /** CATALOGUE_DIR, when the catalogue is not the project's own. */
  root?: string | undefined;
  /** The embedding settings, so that every thread matches with the same embedder. */
  embeddings?: EmbeddingSettings | undefined;
  /** The main thread's embedder: a thread that ends up with another (its model failed to load) is not used. */
  embedderId?: string | undefined;
}

export class InterpreterThreads implements Interprets {
  private threads: Thread[] = [];
  private nextId = 1;
  private closed = false;
  /** Consecutive thread failures (reset when a thread starts), for the restart backoff. */
  private failures = 0;
  /** Threads cannot match the main thread (see spawn): no more are started. */
  private disabled = false;

  private constructor(
    /** The main thread's own interpreter: used until a thread is ready, and when one dies. */
    private readonly fallback: Interprets,
    private readonly build: ThreadBuild,
    private readonly logger: Logger,
  ) {}

  /**
   * Starts `count` threads in the background and returns at once: until a thread has built its assistant,
   * messages are read on the main thread, so start-up is not slowed down by the threads.
   */
  static launch(count: number, fallback: Interprets, build: ThreadBuild, logger: Logger): InterpreterThreads {
    const pool = new InterpreterThreads(fallback, build, logger);
    for (let i = 0; i < count; i++) pool.spawn().catch(() => logger.warn("interpreter.thread_unavailable", {}));
    return pool;
  }

  /** Threads reading messages now (the main thread reads while there are none). */
  get running(): number {
    return this.threads.length;
  }

  /** Resolves once every thread launched so far is ready (for tests and benchmarks). */
  async ready(count: number, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.threads.length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  private spawn(): Promise<void> {
    const worker = startWorker(sibling(import.meta.url, "interpreter-worker"), this.build);
    const thread = new Thread(worker);
    return new Promise((resolve, reject) => {
      worker.once("message", (first: { ready?: boolean; embedderId?: string }) => {
        if (!first.ready) return reject(new Error("interpreter thread did not start"));
        if (this.build.embedderId && first.embedderId !== this.build.embedderId) {
          // Another embedder means other scores and thresholds: read everything here rather than mix them.
          this.logger.error("interpreter.thread_mismatch", { expected: this.build.embedderId, got: first.embedderId ?? null });
          this.disabled = true;
          void worker.terminate();
          return reject(new Error("interpreter thread runs another embedder"));
        }
        this.failures = 0;
        worker.on("message", (readings: Reading[]) => {
          for (const reply of readings) {
            const job = thread.pending.get(reply.id);
            if (!job) continue;
            thread.pending.delete(reply.id);
            clearTimeout(job.timer);
            if (reply.result) job.resolve(reply.result);
            else job.reject(new Error(reply.error ?? "interpretation failed"));
          }
        });
        if (this.closed) void worker.terminate();
        else this.threads.push(thread);
        resolve();
      });
      worker.once("error", (error) => {
        this.logger.error("interpreter.thread_error", { error: error.name });
        reject(error);
      });
      worker.once("exit", () => this.lost(thread));
    });
  }

  /** A thread ended: read its messages here, and start another (after a pause if threads keep failing). */
  private lost(thread: Thread): void {
    this.threads = this.threads.filter((t) => t !== thread);
    for (const job of thread.pending.values()) {
      clearTimeout(job.timer);
      this.fallback.interpret(job.text, job.context).then(job.resolve, job.reject);
    }
    thread.pending.clear();
    if (this.closed || this.disabled) return;
    const wait = RESTART_BACKOFF_MS[Math.min(this.failures, RESTART_BACKOFF_MS.length - 1)]!;
    this.failures++;
    this.logger.warn("interpreter.thread_restart", { inMs: wait, failures: this.failures });
    setTimeout(() => {
      if (!this.closed) this.spawn().catch(() => undefined);
    }, wait).unref();
  }

  interpret(text: string, context: LanguageContext = {}): Promise<Interpretation> {
    // The least busy thread; none ready (all restarting) → here.
    const thread = this.threads.reduce<Thread | undefined>((best, t) => (!best || t.pending.size < best.pending.size ? t : best), undefined);
    if (!thread) return this.fallback.interpret(text, context);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.logger.error("interpreter.thread_stuck", { afterMs: JOB_TIMEOUT_MS });
        void thread.worker.terminate(); // "exit" → lost(): this message and the others are read here.
      }, JOB_TIMEOUT_MS);
      thread.pending.set(id, { text, context, resolve, reject, timer });
      thread.send({ id, text, context });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }
}
