import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/catalog/files.js";
import { verifyPassword } from "../../src/web/caseworker/passwords.js";
import { loadDataKeys, openSqliteStore } from "../../src/runtime-node.js";
import { tempDir } from "../support/temp.js";

function add(args: string[], password: string, dataDir: string) {
  return spawnSync(process.execPath, ["--import", "tsx", join(PROJECT_ROOT, "src/cli/caseworker-add.ts"), ...args], {
    input: `${password}\n`,
    encoding: "utf8",
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? "", DATA_DIR: dataDir },
    timeout: 60_000,
  });
}

describe("npm run caseworker:add", () => {
  it("creates an account with a PBKDF2 hash read from standard input, once", async () => {
    const dataDir = tempDir("accounts");
    const created = add(["--username", "ana", "--role", "supervisor", "--lang", "fr"], "une phrase de passe longue", dataDir);
    expect(created.stderr).toBe("");
    expect(created.status).toBe(0);
    const store = openSqliteStore(await loadDataKeys({ DATA_DIR: dataDir }), { DATA_DIR: dataDir });
    const account = await store.findCaseworker("ana");
    await store.close();
    expect(account).toMatchObject({ username: "ana", role: "supervisor", lang: "fr" });
    expect(account!.passwordHash).toMatch(/^pbkdf2-sha256\$/);
    expect(await verifyPassword("une phrase de passe longue", account!.passwordHash)).toBe(true);
    expect(add(["--username", "ana"], "une autre phrase longue", dataDir).status).toBe(1);
    expect(add(["--username", "bob"], "short", dataDir).status).toBe(2);
    expect(add(["--username", "bob", "--role", "admin"], "a long enough password", dataDir).status).toBe(2);
  });

  it("prints the INSERT for D1 with --sql, writing nothing", async () => {
    const dataDir = tempDir("accounts");
    const printed = add(["--username", "ana.d1", "--role", "caseworker", "--lang", "en", "--sql"], "a long enough password", dataDir);
    expect(printed.status).toBe(0);
    const match = /^INSERT INTO caseworkers \(username, password_hash, role, lang, created_at\) VALUES \('ana\.d1', '(pbkdf2-sha256\$[^']+)', 'caseworker', 'en', '\d{4}-\d\d-\d\dT[^']+'\);$/m.exec(printed.stdout);
    expect(match, printed.stdout).not.toBeNull();
    expect(await verifyPassword("a long enough password", match![1]!)).toBe(true);
    expect(existsSync(join(dataDir, "brujula.sqlite"))).toBe(false);
  });
});
