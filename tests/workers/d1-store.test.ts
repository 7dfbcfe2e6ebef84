import { env } from "cloudflare:workers";
import { WebSealer } from "../../src/store/sealing.js";
import type { D1Like } from "../../src/store/d1/connection.js";
import { D1Store } from "../../src/store/d1/d1-store.js";
import { storeContract, type StoreBackdoor } from "../store/contract.js";
import { insightsContract } from "../store/insights-contract.js";
import { testWebSealer } from "../support/keys.js";

/** The same Store contract as SQLite, on D1 inside workerd. */
const db = (env as unknown as { DB: D1Like }).DB;
const tables = ["events", "users", "inbound", "case_audit", "case_notes", "cases", "contacts", "outbox", "sessions", "signin_failures", "caseworkers", "unanswered"];

const open = async () => {
  // One database per test file: each test starts from empty tables.
  await (db as unknown as { batch(s: unknown[]): Promise<unknown> }).batch(tables.map((t) => db.prepare(`DELETE FROM ${t}`)));
  return new D1Store(db, testWebSealer());
};
const backdoor: StoreBackdoor = {
  raw: async (sql) => (await db.prepare(sql).all<Record<string, unknown>>()).results,
  reopen: async (ring) => new D1Store(db, new WebSealer(ring)),
};

storeContract("D1 (workerd)", open, backdoor);
insightsContract("D1 (workerd)", open, backdoor);
