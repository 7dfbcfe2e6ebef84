import Database from "better-sqlite3";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GroupCommit } from "../../src/store/sqlite/group-commit.js";
import { tempDir } from "../support/temp.js";

describe("group commit (SQLite)", () => {
  const open = () => {
    const path = join(tempDir("group"), "db.sqlite");
    const db = new Database(path);
    db.pragma("journal_mode = WAL");
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)");
    return { db, reader: () => new Database(path, { readonly: true }) };
  };
  /** A store connection (busy timeout 5 s) with its group commit, and another connection holding the write lock. */
  const lockedElsewhere = () => {
    const { db, reader } = open();
    db.pragma("busy_timeout = 5000");
    const blocker = new Database(db.name);
    blocker.exec("BEGIN IMMEDIATE");
    const release = () => {
      blocker.exec("COMMIT");
      blocker.close();
    };
    return { db, reader, group: new GroupCommit(db), release };
  };

  it("commits the writes of one event-loop turn together, visible to another connection once they resolve", async () => {
    const { db, reader } = open();
    const group = new GroupCommit(db);
    const insert = db.prepare("INSERT INTO t (v) VALUES (?)");
    const writes = ["a", "b", "c"].map((v) => group.write(() => insert.run(v).lastInsertRowid));
    const other = reader();
    // Queued, not yet written: nothing is acknowledged before its commit.
    expect(other.prepare("SELECT COUNT(*) AS n FROM t").get()).toEqual({ n: 0 });
    expect(await Promise.all(writes)).toEqual([1, 2, 3]);
    expect(other.prepare("SELECT v FROM t ORDER BY id").all()).toEqual([{ v: "a" }, { v: "b" }, { v: "c" }]);
    other.close();
    db.close();
  });

  it("fails a write alone: the others of its group are committed, its own changes are undone", async () => {
    const { db, reader } = open();
    const group = new GroupCommit(db);
    const insert = db.prepare("INSERT INTO t (v) VALUES (?)");
    const results = await Promise.allSettled([
      group.write(() => insert.run("first")),
      group.write(() => {
        insert.run("half of a failed write");
        insert.run("first"); // UNIQUE: this write fails, and its first insert must go with it
      }),
      group.write(() => insert.run("third")),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    const other = reader();
    expect(other.prepare("SELECT v FROM t ORDER BY id").all()).toEqual([{ v: "first" }, { v: "third" }]);
    other.close();
    db.close();
  });

  it("writes what is queued when asked to flush (the store does so before closing)", async () => {
    const { db, reader } = open();
    const group = new GroupCommit(db);
    const written = group.write(() => db.prepare("INSERT INTO t (v) VALUES ('before close')").run());
    group.flush();
    db.close();
    await written;
    const other = reader();
    expect(other.prepare("SELECT v FROM t").all()).toEqual([{ v: "before close" }]);
    other.close();
  });

  it("rejects the whole group when its transaction cannot be committed, and keeps serving later writes", async () => {
    const { db } = open();
    // Another connection holds the write lock longer than this one is willing to wait.
    db.pragma("busy_timeout = 0");
    const group = new GroupCommit(db);
    const blocker = new Database(db.name);
    blocker.exec("BEGIN IMMEDIATE");
    const blocked = Promise.allSettled([group.write(() => db.prepare("INSERT INTO t (v) VALUES ('x')").run()), group.write(() => 1)]);
    expect((await blocked).map((r) => r.status)).toEqual(["rejected", "rejected"]);
    blocker.exec("ROLLBACK");
    blocker.close();
    await group.write(() => db.prepare("INSERT INTO t (v) VALUES ('later')").run());
    expect(db.prepare("SELECT v FROM t").all()).toEqual([{ v: "later" }]);
    db.close();
  });

  it("waits for another connection's write lock without holding up the event loop, then commits", async () => {
    const { db, reader, group, release } = lockedElsewhere();
    let settled = false;
    const written = group.write(() => db.prepare("INSERT INTO t (v) VALUES ('after the lock')").run()).finally(() => (settled = true));
    // While the lock is held, timers keep firing (SQLite's busy handler would have slept through them) and the
    // write stays queued, joined by the writes asked for meanwhile.
    let ticks = 0;
    for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 2)).then(() => ticks++);
    expect(ticks).toBe(10);
    expect(settled).toBe(false);
    const joined = group.write(() => db.prepare("INSERT INTO t (v) VALUES ('joined')").run());
    release();
    await Promise.all([written, joined]);
    const other = reader();
    expect(other.prepare("SELECT v FROM t ORDER BY id").all()).toEqual([{ v: "after the lock" }, { v: "joined" }]);
    other.close();
    // The connection's own busy timeout is left as it was, for the store's other writes.
    expect(db.pragma("busy_timeout", { simple: true })).toBe(5000);
    db.close();
  });

  it("keeps a group of 200,000 writes queued behind another connection's lock, in order, and commits them all", async () => {
    const { db, reader, group, release } = lockedElsewhere();
    const insert = db.prepare("INSERT INTO t (v) VALUES (?)");
    const writes = Array.from({ length: 200_000 }, (_, i) => group.write(() => insert.run(String(i))));
    // Two turns: the group found the lock taken and went back to the queue (a spread of this size overflows the stack).
    await new Promise((r) => setTimeout(r, 5));
    const last = group.write(() => insert.run("last"));
    release();
    await Promise.all([...writes, last]);
    const other = reader();
    expect(other.prepare("SELECT count(*) AS n FROM t").get()).toEqual({ n: 200_001 });
    expect(other.prepare("SELECT v FROM t ORDER BY id DESC LIMIT 2").all()).toEqual([{ v: "last" }, { v: "199999" }]);
    other.close();
    db.close();
  });
});
