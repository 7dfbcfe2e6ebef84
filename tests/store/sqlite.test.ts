import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import { storeContract } from "./contract.js";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), "brujula-store-"));
  dirs.push(dir);
  return join(dir, "nested", "brujula.sqlite");
}

storeContract("SQLite in memory", async () => new SqliteStore(":memory:"));
storeContract("SQLite file (WAL)", async () => new SqliteStore(tempFile()));

describe("the SQLite store on disk", () => {
  it("keeps data across a restart and migrates only once", async () => {
    const path = tempFile();
    const first = new SqliteStore(path);
    await first.saveState("u1", "telegram", { lang: "pt" });
    await first.close();
    const second = new SqliteStore(path);
    expect(await second.getState("u1")).toEqual({ lang: "pt" });
    await second.close();
  });
});
