import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/catalog/files.js";
import type { Store } from "../../src/core/store/store.js";
import { loadDataKeys, openSqliteStore } from "../../src/runtime-node.js";
import { tempDir } from "../support/temp.js";

function rotate(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, ["--import", "tsx", join(PROJECT_ROOT, "src/cli/keys-rotate.ts"), ...args], {
    encoding: "utf8",
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? "", ...env },
    timeout: 60_000,
  });
}

const T0 = "2026-11-24T10:00:00.000Z";
async function converse(store: Store, userKey: string, text: string) {
  await store.commitTurn({
    userKey,
    channel: "sms",
    inbound: { channel: "sms", externalId: `m-${userKey}`, text, at: T0 },
    state: { lang: "es" },
    events: [],
    contact: { address: "+50760000001", lastInboundAt: T0 },
    outbox: [{ channel: "sms", userKey, payload: { to: "+50760000001", text: "respuesta" } }],
  });
}

/** `npm run keys:rotate`: a new data key, everything re-encrypted with it, the old one retired; nothing lost. */
describe("npm run keys:rotate", () => {
  it("rotates the generated key file: new key, re-encryption, retirement, and the data still reads", async () => {
    const dataDir = tempDir("rotate");
    const config = { DATA_DIR: dataDir };
    const before = await loadDataKeys(config);
    expect(before.source).toBe("generated");
    const store = openSqliteStore(before, config);
    await converse(store, "u1", "hola, necesito ayuda");
    await store.close();

    // Not while the database is open (a running service would keep sealing with the old key).
    const open = openSqliteStore(before, config);
    const refused = rotate(["--new"], { DATA_DIR: dataDir });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("Stop it first");
    await open.close();
    expect(readFileSync(before.file, "utf8").trim().split("\n")).toHaveLength(1);

    const made = rotate(["--new"], { DATA_DIR: dataDir });
    expect(made.stderr).toBe("");
    expect(made.status).toBe(0);
    expect(made.stdout).toMatch(/New data key [0-9a-f]{8}/);
    expect(made.stdout).toContain("Re-encrypted 3 values");
    expect(readFileSync(before.file, "utf8").trim().split("\n")).toHaveLength(2);

    const retired = rotate(["--retire"], { DATA_DIR: dataDir });
    expect(retired.status).toBe(0);
    expect(retired.stdout).toContain("Retired 1 older key(s)");
    const after = await loadDataKeys(config);
    expect(after.ring.keys.size).toBe(1);
    expect(after.ring.current.id).not.toBe(before.ring.current.id);
    const reopened = openSqliteStore(after, config);
    expect(await reopened.getContact("u1", "sms")).toMatchObject({ address: "+50760000001" });
    expect(await reopened.keysInUse()).toEqual({ [after.ring.current.id]: 3 });
    await reopened.close();
  });

  it("with DATA_KEY in the environment: re-encrypts from DATA_KEY_PREVIOUS, refuses to invent keys, and names a missing one", async () => {
    const dataDir = tempDir("rotate-env");
    const [oldKey, newKey] = ["a1".repeat(32), "b2".repeat(32)];
    const keys = await loadDataKeys({ DATA_DIR: dataDir, DATA_KEY: oldKey });
    const store = openSqliteStore(keys, { DATA_DIR: dataDir });
    await converse(store, "u2", "bonjou");
    await store.close();

    expect(rotate(["--new"], { DATA_DIR: dataDir, DATA_KEY: newKey }).status).toBe(2);
    const missing = rotate([], { DATA_DIR: dataDir, DATA_KEY: newKey });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(`data key ${keys.ring.current.id}`);
    const done = rotate([], { DATA_DIR: dataDir, DATA_KEY: newKey, DATA_KEY_PREVIOUS: oldKey });
    expect(done.status).toBe(0);
    expect(done.stdout).toContain("Re-encrypted 3 values");
    expect(done.stdout).toContain("remove DATA_KEY_PREVIOUS");
    expect(rotate([], { DATA_DIR: dataDir, DATA_KEY: newKey }).stdout).toContain("Re-encrypted 0 values");
  });
});
