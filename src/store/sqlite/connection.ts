import Database from "better-sqlite3";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Channel, ConversationState } from "../../core/ports.js";
import type { SyncSealer } from "../sealing.js";
import { GroupCommit } from "./group-commit.js";

/**
 * The SQLite store's connection: the file (WAL mode) and its settings, the migrations, prepared statements, group
 * commits and checkpoints. The store is built on it in layers, one concept a file: connection → accounts
 * (accounts.ts) → outbox (outbox.ts) → cases (cases.ts) → the rest of the Store port (sqlite-store.ts).
 */
const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "migrations");
/**
 * WAL pages past which checkpoint() makes sure the WAL starts again (4,000 pages, about 16 MB). Without it, a
 * 45-second `npm run bench:webhook` left a 117 MB WAL; with it, 30 MB.
 */
const RESTART_PAGES = 4_000;

export abstract class SqliteConnection {
  protected readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  /** The writes of the hot path (a conversation turn, a send's outcome), committed in groups. */
  protected readonly group: GroupCommit;

  /** `path` is a file path, or ":memory:" for tests; `sealer` encrypts what identifies a person (sealing.ts). */
  constructor(
    path: string,
    protected readonly sealer: SyncSealer,
  ) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma("journal_mode = WAL");
    // NORMAL is durable across process crashes in WAL mode (only an OS crash can lose the last transaction).
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma("busy_timeout = 5000");
    this.db.pragma("foreign_keys = ON");
    // Each write of a group commit is a savepoint, and a savepoint keeps the pages it changes, as they were, in a
    // statement journal: past 64 KB, a temporary file, created, written page by page and deleted for every group.
    // In memory it is a copy: a group of conversation turns commits about 30% faster, with half the system time.
    this.db.pragma("temp_store = MEMORY");
    this.migrate();
    this.group = new GroupCommit(this.db);
  }

  /**
   * Whether this connection copies the WAL back into the database file (a checkpoint, with two fsyncs) when the
   * WAL has grown past 1000 pages: SQLite does it at the end of the commit that crossed the mark, on the thread
   * that committed. The service hands it to the sender thread's connection while that thread runs, so that
   * commits acknowledging webhooks do not wait for the disk; any connection's checkpoint serves every one.
   */
  checkpointsHere(here: boolean): void {
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${here ? 1000 : 0}`);
  }

  /**
   * Copies what it can of the WAL into the database file now, without waiting for readers or writers. A WAL
   * starts again from its beginning only when a writer finds it all copied and no one reading it: under steady
   * writes from another connection that moment never comes, and the WAL would grow for as long as the load
   * lasts (slower reads, a bigger file). Past RESTART_PAGES the checkpoint also waits for that moment (a few
   * milliseconds during which the other writer waits too), so that the next commit starts the WAL again.
   */
  checkpoint(): void {
    if (!this.db.open) return;
    const [result] = this.db.pragma("wal_checkpoint(PASSIVE)") as { log: number; checkpointed: number }[];
    if (result && result.log >= RESTART_PAGES) this.db.pragma("wal_checkpoint(RESTART)");
  }

  protected immediate<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  /** Prepared statements are compiled once and reused: preparing costs more than running. */
  protected stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private migrate(): void {
    this.db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)");
    const applied = new Set(
      this.stmt("SELECT version FROM schema_migrations").all().map((r) => (r as { version: string }).version),
    );
    for (const file of readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith(".sql")).sort()) {
      if (applied.has(file)) continue;
      const sql = readFileSync(join(MIGRATIONS_DIR, file), "utf8");
      this.db.transaction(() => {
        this.db.exec(sql);
        this.stmt("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)").run(file, new Date().toISOString());
      })();
    }
  }

  async ping(): Promise<boolean> {
    return (this.stmt("SELECT 1 AS ok").get() as { ok: number }).ok === 1;
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    this.group.flush();
    this.db.close();
  }

  /** The person's conversation state (their users row): written by each turn, and by a case's close. */
  protected writeState(userKey: string, channel: Channel, state: ConversationState): void {
    const now = new Date().toISOString();
    this.stmt(
        `INSERT INTO users (user_key, channel, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (user_key) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
      )
      .run(userKey, channel, JSON.stringify(state), now, now);
  }
}
