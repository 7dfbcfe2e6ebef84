import type Database from "better-sqlite3";

// Taken when this module loads: a test that fakes the timers must not be able to stall the store's writes.
const nextLoop = globalThis.setImmediate;

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
 */
export class GroupCommit {
  private queue: Queued[] = [];

  constructor(private readonly db: Database.Database) {}

  /** Runs `work` in the next group's transaction; resolves with its result once that transaction commits. */
  write<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.queue.length === 1) nextLoop(() => this.flush());
    });
  }

  /** Commits what is queued now (the store calls this before closing). */
  flush(): void {
    const group = this.queue.splice(0);
    if (group.length === 0) return;
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      this.db
        .transaction(() => {
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
      for (const { reject } of group) reject(error);
      return;
    }
    group.forEach(({ resolve, reject }, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) resolve(outcome.value);
      else reject(outcome.error);
    });
  }
}
