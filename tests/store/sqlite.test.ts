import { statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { NodeSealer } from "../../src/store/sqlite/node-sealer.js";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import { storeContract, type StoreBackdoor } from "./contract.js";
import { insightsContract } from "./insights-contract.js";
import { testSealer } from "../support/sealing.js";
import { tempDir } from "../support/temp.js";

function tempFile(): string {
  return join(tempDir("store"), "nested", "brujula.sqlite");
}

const inMemory = async () => new SqliteStore(":memory:", testSealer());
storeContract("SQLite in memory", inMemory);
insightsContract("SQLite in memory", inMemory);
let lastFile = "";
const onDisk = async () => new SqliteStore((lastFile = tempFile()), testSealer());
const backdoor: StoreBackdoor = {
  // A second connection, as someone holding a copy of the file would open it.
  async raw(sql) {
    const db = new Database(lastFile);
    try {
      const statement = db.prepare(sql);
      return statement.reader ? (statement.all() as Record<string, unknown>[]) : (statement.run(), []);
    } finally {
      db.close();
    }
  },
  reopen: async (ring) => new SqliteStore(lastFile, new NodeSealer(ring)),
};
storeContract("SQLite file (WAL)", onDisk, backdoor);
insightsContract("SQLite file (WAL)", onDisk, backdoor);

describe("the SQLite store on disk", () => {
  it("keeps data across a restart and migrates only once", async () => {
    const path = tempFile();
    const first = new SqliteStore(path, testSealer());
    await first.saveState("u1", "telegram", { lang: "pt" });
    await first.close();
    const second = new SqliteStore(path, testSealer());
    expect(await second.getState("u1")).toEqual({ lang: "pt" });
    await second.close();
  });

  it("leaves checkpoints to another connection when told, and any connection's checkpoint serves the file", async () => {
    const path = tempFile();
    const main = new SqliteStore(path, testSealer());
    await main.saveState("u0", "telegram", { lang: "es" });
    main.checkpoint();
    const fileSize = () => statSync(path).size;
    const walPages = () => Math.floor(Math.max(0, statSync(`${path}-wal`).size - 32) / (4096 + 24));
    const settled = fileSize();
    main.checkpointsHere(false);
    // Well past the 1000 WAL pages at which a connection checkpoints on its own commits.
    const big = "x".repeat(3_000);
    for (let i = 0; i < 1_500; i++) await main.saveState(`u${i}`, "telegram", { lang: "es", options: [`${big}${i}`] });
    expect(walPages()).toBeGreaterThan(1_500);
    expect(fileSize()).toBe(settled);
    // The sender thread's connection, in the service.
    const other = new SqliteStore(path, testSealer());
    other.checkpoint();
    expect(fileSize()).toBeGreaterThan(settled + 1_000 * 4096);
    await other.close();
    // Handed back (the thread died): this connection checkpoints again once the WAL passes the mark.
    main.checkpointsHere(true);
    const before = fileSize();
    for (let i = 0; i < 1_500; i++) await main.saveState(`v${i}`, "telegram", { lang: "es", options: [`${big}${i}`] });
    expect(fileSize()).toBeGreaterThan(before + 1_000 * 4096);
    expect(await main.getState("u1499")).toMatchObject({ options: [`${big}1499`] });
    await main.close();
  });
});
