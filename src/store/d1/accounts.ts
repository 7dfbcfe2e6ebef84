import type { CaseworkerAccount, CaseworkerSession } from "../../core/store/cases.js";
import { D1Connection } from "./connection.js";

/** Caseworker accounts of the web dashboard, their sessions, and the sign-in attempts that rate-limit them. */
export abstract class D1Accounts extends D1Connection {
  async listCaseworkers(): Promise<Omit<CaseworkerAccount, "passwordHash">[]> {
    return (await this.q("SELECT id, username, role, lang FROM caseworkers ORDER BY username").all<Omit<CaseworkerAccount, "passwordHash">>()).results;
  }

  async addCaseworker(account: Omit<CaseworkerAccount, "id">, at: string): Promise<number> {
    const result = await this.q("INSERT INTO caseworkers (username, password_hash, role, lang, created_at) VALUES (?, ?, ?, ?, ?)", account.username, account.passwordHash, account.role, account.lang, at).run();
    return result.meta.last_row_id;
  }

  async findCaseworker(username: string): Promise<CaseworkerAccount | null> {
    const row = await this.q("SELECT id, username, password_hash, role, lang FROM caseworkers WHERE username = ?", username).first<{
      id: number;
      username: string;
      password_hash: string;
      role: CaseworkerAccount["role"];
      lang: CaseworkerAccount["lang"];
    }>();
    return row ? { id: row.id, username: row.username, passwordHash: row.password_hash, role: row.role, lang: row.lang } : null;
  }

  async createSession(tokenHash: string, caseworkerId: number, csrf: string, at: string, expiresAt: string): Promise<void> {
    await this.q("INSERT INTO sessions (token_hash, caseworker_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)", tokenHash, caseworkerId, csrf, at, expiresAt).run();
  }

  async getSession(tokenHash: string, now: string): Promise<CaseworkerSession | null> {
    const row = await this.q(
      `SELECT s.csrf, s.expires_at, c.id, c.username, c.password_hash, c.role, c.lang
       FROM sessions s JOIN caseworkers c ON c.id = s.caseworker_id WHERE s.token_hash = ? AND s.expires_at > ?`,
      tokenHash,
      now,
    ).first<{ csrf: string; expires_at: string; id: number; username: string; password_hash: string; role: CaseworkerAccount["role"]; lang: CaseworkerAccount["lang"] }>();
    if (!row) return null;
    return { caseworker: { id: row.id, username: row.username, passwordHash: row.password_hash, role: row.role, lang: row.lang }, csrf: row.csrf, expiresAt: row.expires_at };
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.q("DELETE FROM sessions WHERE token_hash = ?", tokenHash).run();
  }

  async reserveSigninAttempt(keys: readonly { key: string; max: number }[], at: string, since: string): Promise<number[] | null> {
    for (const { key, max } of keys) {
      const row = await this.q("SELECT COUNT(*) AS n FROM signin_failures WHERE key = ? AND at >= ?", key, since).first<{ n: number }>();
      if ((row?.n ?? 0) >= max) return null;
    }
    const results = await this.db.batch(keys.map(({ key }) => this.q("INSERT INTO signin_failures (key, at) VALUES (?, ?)", key, at)));
    return results.map((r) => r.meta.last_row_id);
  }

  async releaseSigninAttempt(ids: readonly number[]): Promise<void> {
    if (ids.length > 0) await this.db.batch(ids.map((id) => this.q("DELETE FROM signin_failures WHERE id = ?", id)));
  }
}
