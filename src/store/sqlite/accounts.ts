import type { CaseworkerAccount, CaseworkerSession } from "../../core/store/cases.js";
import { SqliteConnection } from "./connection.js";

/** Caseworker accounts of the web dashboard, their sessions, and the sign-in attempts that rate-limit them. */
export abstract class SqliteAccounts extends SqliteConnection {
  async listCaseworkers(): Promise<Omit<CaseworkerAccount, "passwordHash">[]> {
    return this.stmt("SELECT id, username, role, lang FROM caseworkers ORDER BY username").all() as Omit<CaseworkerAccount, "passwordHash">[];
  }

  async addCaseworker(account: Omit<CaseworkerAccount, "id">, at: string): Promise<number> {
    return Number(
      this.stmt("INSERT INTO caseworkers (username, password_hash, role, lang, created_at) VALUES (?, ?, ?, ?, ?)").run(
        account.username,
        account.passwordHash,
        account.role,
        account.lang,
        at,
      ).lastInsertRowid,
    );
  }

  async findCaseworker(username: string): Promise<CaseworkerAccount | null> {
    const row = this.stmt("SELECT id, username, password_hash, role, lang FROM caseworkers WHERE username = ?").get(username) as
      | { id: number; username: string; password_hash: string; role: CaseworkerAccount["role"]; lang: CaseworkerAccount["lang"] }
      | undefined;
    return row ? { id: row.id, username: row.username, passwordHash: row.password_hash, role: row.role, lang: row.lang } : null;
  }

  async createSession(tokenHash: string, caseworkerId: number, csrf: string, at: string, expiresAt: string): Promise<void> {
    this.stmt("INSERT INTO sessions (token_hash, caseworker_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)").run(tokenHash, caseworkerId, csrf, at, expiresAt);
  }

  async getSession(tokenHash: string, now: string): Promise<CaseworkerSession | null> {
    const row = this.stmt(
      `SELECT s.csrf, s.expires_at, c.id, c.username, c.password_hash, c.role, c.lang
       FROM sessions s JOIN caseworkers c ON c.id = s.caseworker_id WHERE s.token_hash = ? AND s.expires_at > ?`,
    ).get(tokenHash, now) as
      | { csrf: string; expires_at: string; id: number; username: string; password_hash: string; role: CaseworkerAccount["role"]; lang: CaseworkerAccount["lang"] }
      | undefined;
    if (!row) return null;
    return {
      caseworker: { id: row.id, username: row.username, passwordHash: row.password_hash, role: row.role, lang: row.lang },
      csrf: row.csrf,
      expiresAt: row.expires_at,
    };
  }

  async deleteSession(tokenHash: string): Promise<void> {
    this.stmt("DELETE FROM sessions WHERE token_hash = ?").run(tokenHash);
  }

  async reserveSigninAttempt(keys: readonly { key: string; max: number }[], at: string, since: string): Promise<number[] | null> {
    return this.immediate(() => {
      for (const { key, max } of keys) {
        const n = (this.stmt("SELECT COUNT(*) AS n FROM signin_failures WHERE key = ? AND at >= ?").get(key, since) as { n: number }).n;
        if (n >= max) return null;
      }
      return keys.map(({ key }) => Number(this.stmt("INSERT INTO signin_failures (key, at) VALUES (?, ?)").run(key, at).lastInsertRowid));
    });
  }

  async releaseSigninAttempt(ids: readonly number[]): Promise<void> {
    this.db.transaction(() => {
      for (const id of ids) this.stmt("DELETE FROM signin_failures WHERE id = ?").run(id);
    })();
  }
}
