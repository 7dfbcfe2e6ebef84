import Database from "better-sqlite3";
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/catalog/files.js";
import type { Store } from "../../src/core/store/store.js";
import type { TurnRecord } from "../../src/core/store/turn.js";
import { missingKeys } from "../../src/rotation.js";
import { DATA_KEY_FILE, ensureIdSecret, ID_SECRET_FILE, loadDataKeys, openSqliteStore } from "../../src/runtime-node.js";
import { tempDir } from "../support/temp.js";

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run backup` or `npm run restore` as an operator does; asynchronous, so the test's store keeps writing. */
function run(cli: "backup" | "restore", args: string[], dataDir: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(PROJECT_ROOT, `src/cli/${cli}.ts`), ...args], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? "", DATA_DIR: dataDir },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += String(chunk)));
    child.stderr.on("data", (chunk) => (stderr += String(chunk)));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

const T0 = "2026-11-24T10:00:00.000Z";
const turn = (userKey: string, text: string, address: string): TurnRecord => ({
  userKey,
  channel: "sms",
  inbound: { channel: "sms", externalId: `m-${userKey}-${text.length}`, text, at: T0 },
  state: { lang: "es" },
  events: [{ type: "message.interpreted", userKey, channel: "sms", at: T0, data: {} }],
  contact: { address, lastInboundAt: T0 },
  outbox: [{ channel: "sms", userKey, payload: { to: address, text: `respuesta a ${userKey}` } }],
});

/** A DATA_DIR as the service leaves it: its keys, and a person in danger with a case, a contact and a reply waiting. */
async function serviceDataDir(): Promise<{ dataDir: string; store: Store; keyId: string }> {
  const dataDir = tempDir("backup");
  const keys = await loadDataKeys({ DATA_DIR: dataDir });
  ensureIdSecret(dataDir);
  const store = openSqliteStore(keys, { DATA_DIR: dataDir });
  await store.commitTurn({
    ...turn("u1", "me quieren matar, ayuda", "+50760000001"),
    handoff: { category: "urgent.danger", priority: 1, lang: "es", country: "PA", text: "me quieren matar, ayuda", at: T0 },
  });
  for (let i = 0; i < 200; i++) await store.commitTurn(turn(`seed-${i}`, "hola", `+5076100${String(i).padStart(4, "0")}`));
  return { dataDir, store, keyId: keys.ring.current.id };
}

/** The service at work: one whole turn (inbound, state, event, contact, reply) after another, until stopped. */
function keepWriting(store: Store): { count: () => number; stop: () => Promise<number> } {
  let written = 0;
  let stopped = false;
  const writing = (async () => {
    while (!stopped) {
      await store.commitTurn(turn(`bg-${written}`, "¿dónde hay un albergue?", `+50762${String(written).padStart(6, "0")}`));
      written++;
      await sleep(2);
    }
  })();
  return { count: () => written, stop: async () => ((stopped = true), await writing, written) };
}

/** How many background turns a database file holds, table by table (all equal when no turn was cut in half). */
const TURN_TABLES = ["inbound", "users", "events", "contacts", "outbox"] as const;
function backgroundRows(file: string): Record<(typeof TURN_TABLES)[number], number> {
  const db = new Database(file, { readonly: true });
  try {
    const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE user_key LIKE 'bg-%'`).get() as { n: number }).n;
    return Object.fromEntries(TURN_TABLES.map((table) => [table, count(table)])) as Record<(typeof TURN_TABLES)[number], number>;
  } finally {
    db.close();
  }
}

/** A DATA_DIR for a restore, holding copies of the given secret files of the original. */
function restoreDir(from: string, secrets: readonly string[]): string {
  const dataDir = tempDir("restored");
  for (const file of secrets) copyFileSync(join(from, file), join(dataDir, file));
  return dataDir;
}

describe("npm run backup and npm run restore", () => {
  it("backs up while the service writes, consistently, and the restore reads back with the same keys", async () => {
    const { dataDir, store } = await serviceDataDir();
    const writer = keepWriting(store);
    await sleep(20);
    const before = writer.count();
    const file = join(tempDir("backups"), "nightly", "brujula-2026-11-26.sqlite");
    const backup = await run("backup", [file], dataDir);
    const after = await writer.stop();
    await store.close();
    expect(backup.stderr).toBe("");
    expect(backup.status).toBe(0);
    expect(backup.stdout.split("\n")).toHaveLength(2);
    expect(backup.stdout).toMatch(/^Backup written to \S+ \(\d+ KiB, \d+ pages, \d+ ms\)\. NOT in it: .*without the data key it cannot be read\.\n$/);
    expect(backup.stdout).toContain(`${file} (`);
    expect(backup.stdout).toContain(`the data key (${join(dataDir, DATA_KEY_FILE)}) and the id secret (${join(dataDir, ID_SECRET_FILE)})`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // Nothing else beside it: no temporary file, no -wal or -shm; one file that stands alone.
    expect(readdirSync(join(file, ".."))).toEqual(["brujula-2026-11-26.sqlite"]);

    // A snapshot taken between the first and the last of the service's writes, with every turn whole.
    const rows = backgroundRows(file);
    expect(rows.inbound).toBeGreaterThan(before);
    expect(rows.inbound).toBeLessThanOrEqual(after);
    expect(new Set(Object.values(rows))).toEqual(new Set([rows.inbound]));

    // The documented restore: the same data key and id secret in place, then `npm run restore`.
    const target = restoreDir(dataDir, [DATA_KEY_FILE, ID_SECRET_FILE]);
    const restore = await run("restore", [file], target);
    expect(restore.stderr).toBe("");
    expect(restore.status).toBe(0);
    expect(restore.stdout).toContain(`Restored ${file} into ${join(target, "brujula.sqlite")}`);
    expect(readdirSync(target).sort()).toEqual(["brujula.sqlite", DATA_KEY_FILE, ID_SECRET_FILE]);
    const restored = openSqliteStore(await loadDataKeys({ DATA_DIR: target }), { DATA_DIR: target });
    try {
      expect(await restored.getContact("u1", "sms")).toEqual({ address: "+50760000001", lastInboundAt: T0 });
      const [danger] = await restored.listCases({ userKey: "u1" });
      expect(danger).toMatchObject({ category: "urgent.danger", priority: 1, status: "open", country: "PA" });
      expect(danger!.transcript.map((line) => line.text)).toEqual(["me quieren matar, ayuda"]);
      expect((await restored.getOutbox({ userKey: "u1" })).map((item) => item.payload)).toEqual([{ to: "+50760000001", text: "respuesta a u1" }]);
      expect(await restored.getContact(`bg-${rows.inbound - 1}`, "sms")).not.toBeNull();
      expect(await restored.getContact(`bg-${rows.inbound}`, "sms")).toBeNull();
    } finally {
      await restored.close();
    }
  });

  it("without the data key the backup cannot be read: restore refuses, and a bare copy names the missing key", async () => {
    const { dataDir, store, keyId } = await serviceDataDir();
    await store.close();
    const file = join(tempDir("backups"), "b.sqlite");
    expect((await run("backup", [file], dataDir)).status).toBe(0);
    // The backup itself holds no key and no readable address.
    expect(readFileSync(file).includes(readFileSync(join(dataDir, DATA_KEY_FILE), "utf8").trim())).toBe(false);
    expect(readFileSync(file).includes("+50760000001")).toBe(false);

    const noKey = restoreDir(dataDir, [ID_SECRET_FILE]);
    const refused = await run("restore", [file], noKey);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`Missing the data key (${join(noKey, DATA_KEY_FILE)})`);
    expect(readdirSync(noKey)).toEqual([ID_SECRET_FILE]);

    const otherKey = restoreDir(dataDir, [ID_SECRET_FILE]);
    writeFileSync(join(otherKey, DATA_KEY_FILE), `${"ab".repeat(32)}\n`, { mode: 0o600 });
    const wrongKey = await run("restore", [file], otherKey);
    expect(wrongKey.status).toBe(1);
    expect(wrongKey.stderr).toContain(`sealed with data key ${keyId}`);
    expect(existsSync(join(otherKey, "brujula.sqlite"))).toBe(false);

    // Copied in by hand with a key generated afresh: the service's start-up check names the key it lacks.
    copyFileSync(file, join(noKey, "brujula.sqlite"));
    const fresh = await loadDataKeys({ DATA_DIR: noKey });
    expect(fresh.source).toBe("generated");
    const copy = openSqliteStore(fresh, { DATA_DIR: noKey });
    try {
      expect(await missingKeys(copy, fresh.ring)).toEqual([keyId]);
      await expect(copy.getContact("u1", "sms")).rejects.toThrow(keyId);
    } finally {
      await copy.close();
    }
  });

  it("refuses to overwrite without --force, bad arguments, and a DATA_DIR without a database", async () => {
    const { dataDir, store } = await serviceDataDir();
    const dir = tempDir("backups");
    const file = join(dir, "b.sqlite");
    writeFileSync(file, "an older backup");
    const refused = await run("backup", [file], dataDir);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`${file} already exists: choose another name, or add --force to replace it.`);
    expect(readFileSync(file, "utf8")).toBe("an older backup");
    const forced = await run("backup", ["--force", file], dataDir);
    expect(forced.status).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await store.close();

    for (const args of [[], ["--keys", file], [file, "another.sqlite"]]) {
      const usage = await run("backup", args, dataDir);
      expect(usage.status, args.join(" ")).toBe(2);
      expect(usage.stderr).toMatch(/^usage: npm run backup -- <file> \[--force\]/);
    }
    expect((await run("restore", [], dataDir)).status).toBe(2);
    expect((await run("backup", [join(dataDir, "brujula.sqlite"), "--force"], dataDir)).status).toBe(1);

    const empty = tempDir("empty");
    const missing = await run("backup", [join(dir, "c.sqlite")], empty);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(`No database at ${join(empty, "brujula.sqlite")}: nothing to back up. Is DATA_DIR (${empty}) the service's?\n`);
    expect(existsSync(join(dir, "c.sqlite"))).toBe(false);
  });

  it("refuses a damaged database or backup, and a restore while the database is open; keeps the one it replaces", async () => {
    const { dataDir, store } = await serviceDataDir();
    await store.close();
    const dir = tempDir("backups");
    const good = join(dir, "good.sqlite");
    expect((await run("backup", [good], dataDir)).status).toBe(0);

    // A damaged database (the root page of the messages table overwritten) copies, but fails the check.
    const database = join(dataDir, "brujula.sqlite");
    const db = new Database(database);
    const { root } = db.prepare("SELECT rootpage AS root FROM sqlite_master WHERE name = 'inbound'").get() as { root: number };
    const pageSize = db.pragma("page_size", { simple: true }) as number;
    db.close();
    const bytes = readFileSync(database);
    bytes.fill(0xee, (root - 1) * pageSize, root * pageSize);
    writeFileSync(database, bytes);
    const damaged = await run("backup", [join(dir, "bad.sqlite")], dataDir);
    expect(damaged.status).toBe(1);
    // SQLite reports such damage as the check's findings or, as here, by refusing to read on ("malformed").
    expect(damaged.stderr).toMatch(/failed its check \((integrity check: .+|database disk image is malformed)\); nothing was written to/);
    expect(damaged.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(dir)).toEqual(["good.sqlite"]);

    // Restoring the good backup over it: refused while a process has it open, done once it is closed.
    writeFileSync(join(dir, "bad.sqlite"), bytes);
    const target = restoreDir(dataDir, [DATA_KEY_FILE, ID_SECRET_FILE]);
    expect((await run("restore", [good], target)).status).toBe(0);
    const rejected = await run("restore", [join(dir, "bad.sqlite")], target);
    expect(rejected.status).toBe(1);
    expect(rejected.stderr).toMatch(/cannot be restored \((integrity check: .+|database disk image is malformed)\)\. Nothing was changed\./);
    const open = openSqliteStore(await loadDataKeys({ DATA_DIR: target }), { DATA_DIR: target });
    await open.commitTurn(turn("after-restore", "hola otra vez", "+50763000000"));
    const busy = await run("restore", [good], target);
    expect(busy.status).toBe(1);
    expect(busy.stderr).toContain("has " + join(target, "brujula.sqlite") + " open: stop it");
    await open.close();
    const again = await run("restore", [good], target);
    expect(again.status).toBe(0);
    const aside = readdirSync(target).find((f) => f.startsWith("brujula.sqlite.before-restore-"))!;
    expect(again.stdout).toContain(`kept as ${join(target, aside)}`);
    expect(readdirSync(target).filter((f) => f.startsWith("brujula.sqlite")).sort()).toEqual(["brujula.sqlite", aside]);
    // The database it replaced is whole in one file, with the turn written after the first restore.
    const kept = openSqliteStore(await loadDataKeys({ DATA_DIR: target }), { DATA_DIR: target }, join(target, aside));
    expect(await kept.getContact("after-restore", "sms")).toMatchObject({ address: "+50763000000" });
    await kept.close();
  });
});
