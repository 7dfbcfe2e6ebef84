import Database from "better-sqlite3";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Channel, ConversationState, Store, StoredEvent } from "../../core/ports.js";

/**
 * The embedded default store: one SQLite file (WAL mode) under DATA_DIR. better-sqlite3 is synchronous and
 * fast; the async Store interface is kept so the same engine runs against D1 on Workers.
 */
const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "migrations");

interface EventRow {
  type: string;
  user_key: string;
  channel: string;
  at: string;
  data: string;
}

export class SqliteStore implements Store {
  private readonly db: Database.Database;

  /** `path` is a file path, or ":memory:" for tests. */
  constructor(path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma("journal_mode = WAL");
    // NORMAL is durable across process crashes in WAL mode (only an OS crash can lose the last transaction).
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma("busy_timeout = 5000");
    this.db.pragma("foreign_keys = ON");
    this.migrate();
  }

  private migrate(): void {
    this.db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)");
    const applied = new Set(
      this.db.prepare("SELECT version FROM schema_migrations").all().map((r) => (r as { version: string }).version),
    );
    for (const file of readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith(".sql")).sort()) {
      if (applied.has(file)) continue;
      const sql = readFileSync(join(MIGRATIONS_DIR, file), "utf8");
      this.db.transaction(() => {
        this.db.exec(sql);
        this.db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)").run(file, new Date().toISOString());
      })();
    }
  }

  async getState(userKey: string): Promise<ConversationState | null> {
    const row = this.db.prepare("SELECT state FROM users WHERE user_key = ?").get(userKey) as { state: string } | undefined;
    return row ? (JSON.parse(row.state) as ConversationState) : null;
  }

  async saveState(userKey: string, channel: Channel, state: ConversationState): Promise<void> {
    const now = new Date().toISOString();
    this.db
      .prepare(
        `INSERT INTO users (user_key, channel, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (user_key) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
      )
      .run(userKey, channel, JSON.stringify(state), now, now);
  }

  async appendEvents(events: readonly StoredEvent[]): Promise<void> {
    const insert = this.db.prepare("INSERT INTO events (type, user_key, channel, at, data) VALUES (?, ?, ?, ?, ?)");
    this.db.transaction(() => {
      for (const e of events) insert.run(e.type, e.userKey, e.channel, e.at, JSON.stringify(e.data));
    })();
  }

  async listEvents(filter: { userKey?: string; type?: string; limit?: number } = {}): Promise<StoredEvent[]> {
    const rows = this.db
      .prepare(
        `SELECT type, user_key, channel, at, data FROM events
         WHERE (@userKey IS NULL OR user_key = @userKey) AND (@type IS NULL OR type = @type)
         ORDER BY id LIMIT @limit`,
      )
      .all({ userKey: filter.userKey ?? null, type: filter.type ?? null, limit: filter.limit ?? 1000 }) as EventRow[];
    return rows.map((r) => ({
      type: r.type,
      userKey: r.user_key,
      channel: r.channel as Channel,
      at: r.at,
      data: JSON.parse(r.data) as Record<string, unknown>,
    }));
  }

  async deleteUser(userKey: string): Promise<number> {
    return this.db.transaction(() => {
      const events = this.db.prepare("DELETE FROM events WHERE user_key = ?").run(userKey).changes;
      const users = this.db.prepare("DELETE FROM users WHERE user_key = ?").run(userKey).changes;
      return events + users;
    })();
  }

  async ping(): Promise<boolean> {
    return (this.db.prepare("SELECT 1 AS ok").get() as { ok: number }).ok === 1;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

// The compiler checks the adapter against the port, as STYLE.md asks.
SqliteStore satisfies new (path: string) => Store;
