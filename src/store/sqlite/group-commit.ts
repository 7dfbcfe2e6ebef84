import type Database from "better-sqlite3";

// Taken when this module loads: a test that fakes the timers must not be able to stall the store's writes.
const nextLoop = globalThis.setImmediate;
const later = globalThis.setTimeout;
const clock = globalThis.performance;

/** How long a group waits between two tries for a write lock another connection holds (Node timers: 1 ms at least). */
const LOCK_RETRY_MS = 1;

interface Queued {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: writes asked for during one turn of the event loop are committed together, in one transaction,
 * each in its own savepoint. A commit writes every page the transaction touched to the WAL (one system call per
 * page, about 200 µs for a conversation turn); under load, tens of turns share those pages and that cost. Each
 * write still succeeds or fails alone, and its promise settles only once the commit is on disk, so a webhook
 * acknowledged after it loses nothing.
 *
 * When another connection (the sender thread's) holds the write lock, the group does not wait in SQLite's busy
 * handler, which sleeps the whole thread (1, 2, 5, 10, 15… ms, however soon the lock is free) and with it every
 * request the event loop would serve meanwhile. It tries again a moment later, and the writes queued in between
 * join it. Past the connection's busy timeout, the group fails as SQLite would have failed it.
 */
export class GroupCommit {
  private queue: Queued[] = [];
  private scheduled = false;
  /** When the queued group first found the write lock taken. */
  private busySince: number | null = null;
  private readonly lockWaitMs: number;

  constructor(private readonly db: Database.Database) {
    this.lockWaitMs = Number(db.pragma("busy_timeout", { simple: true }));
  }

  /**
   * Sets the connection's busy timeout. SQLite applies this pragma when the statement is compiled, not when it
   * runs: a prepared copy kept for reuse would do nothing.
   */
  private waitForLock(ms: number): void {
    this.db.pragma(`busy_timeout = ${ms}`);
  }

  /** Runs `work` in the next group's transaction; resolves with its result once that transaction commits. */
  write<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.schedule(false);
    });
  }

  private schedule(afterRetryDelay: boolean): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      this.commit(false);
    };
    if (afterRetryDelay) later(run, LOCK_RETRY_MS);
    else nextLoop(run);
  }

  /** Commits what is queued now, waiting for the write lock if need be (the store calls this before closing). */
  flush(): void {
    this.commit(true);
  }

  private commit(wait: boolean): void {
    const group = this.queue.splice(0);
    if (group.length === 0) return;
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    let began = false;
    try {
      if (!wait) this.waitForLock(0);
      this.db
        .transaction(() => {
          began = true;
          for (const { work } of group) {
            try {
              // A transaction inside a transaction is a savepoint: a write that fails is undone alone.
              outcomes.push({ ok: true, value: this.db.transaction(work)() });
            } catch (error) {
              // Some errors (a full disk, an I/O error) end the whole transaction: then the group fails together.
              if (!this.db.inTransaction) throw error;
              outcomes.push({ ok: false, error });
            }
          }
        })
        .immediate();
    } catch (error) {
      if (!began && isBusy(error) && !wait) {
        const now = clock.now();
        this.busySince ??= now;
        if (now - this.busySince < this.lockWaitMs) {
          // Nothing can have been queued since the splice (no write ran); were it otherwise, the group goes first.
          // Never unshift(...group): spreading a group of 100,000 writes overflows the stack.
          this.queue = this.queue.length === 0 ? group : group.concat(this.queue);
          return this.schedule(true);
        }
      }
      this.busySince = null;
      for (const { reject } of group) reject(error);
      return;
    } finally {
      if (!wait && this.db.open) this.waitForLock(this.lockWaitMs);
    }
    this.busySince = null;
    group.forEach(({ resolve, reject }, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) resolve(outcome.value);
      else reject(outcome.error);
    });
  }
}

function isBusy(error: unknown): boolean {
  // Extended codes too: SQLITE_BUSY_RECOVERY, SQLITE_BUSY_SNAPSHOT, SQLITE_BUSY_TIMEOUT.
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_BUSY");
}
