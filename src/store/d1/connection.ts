import type { Channel } from "../../core/ports.js";
import type { Sealer } from "../sealing.js";

/**
 * The D1 store's connection: the part of the D1 API used (declared here, so Node's type check needs no Workers
 * types), prepared queries, and the batch that runs once per provider id. The store is built on it in layers, one
 * concept a file: connection → accounts (accounts.ts) → outbox (outbox.ts) → cases (cases.ts) → the rest of the
 * port (d1-store.ts), as the SQLite store is.
 */
export interface D1Result<T> {
  results: T[];
  meta: { changes: number; last_row_id: number };
}
export interface D1Statement {
  bind(...values: unknown[]): D1Statement;
  first<T = Record<string, unknown>>(): Promise<T | null>;
  all<T = Record<string, unknown>>(): Promise<D1Result<T>>;
  run(): Promise<D1Result<unknown>>;
}
export interface D1Like {
  prepare(sql: string): D1Statement;
  batch<T = unknown>(statements: D1Statement[]): Promise<D1Result<T>[]>;
}

const isUniqueViolation = (error: unknown) => /UNIQUE constraint failed/i.test(String((error as Error)?.message ?? error));

export abstract class D1Connection {
  /** `sealer` encrypts what identifies a person (src/store/sealing.ts). */
  constructor(
    protected readonly db: D1Like,
    protected readonly sealer: Sealer,
  ) {}


  protected q(sql: string, ...params: unknown[]): D1Statement {
    return this.db.prepare(sql).bind(...params);
  }

  /** Runs a batch that starts by recording a provider id; a retry of that id fails the batch as a whole. */
  protected async onceFor(statements: D1Statement[]): Promise<"committed" | "duplicate"> {
    try {
      await this.db.batch(statements);
      return "committed";
    } catch (error) {
      if (isUniqueViolation(error)) return "duplicate";
      throw error;
    }
  }

  async hasInbound(channel: Channel, externalId: string): Promise<boolean> {
    return (await this.q("SELECT 1 AS one FROM inbound WHERE channel = ? AND external_id = ?", channel, externalId).first()) !== null;
  }

  async ping(): Promise<boolean> {
    return (await this.q("SELECT 1 AS ok").first<{ ok: number }>())?.ok === 1;
  }

  async close(): Promise<void> {
    // A D1 binding has nothing to close.
  }
}
