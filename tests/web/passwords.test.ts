import { randomBytes, scryptSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DUMMY_HASH, hashPassword, verifyPassword } from "../../src/web/caseworker/passwords.js";
import "../../src/web/caseworker/scrypt-node.js";

describe("caseworker passwords", () => {
  it("hashes with salted PBKDF2-SHA-256 (600,000 iterations) and verifies only the right password", async () => {
    const started = performance.now();
    const stored = await hashPassword("correct horse battery");
    console.log(`hash on Node: ${Math.round(performance.now() - started)} ms`);
    expect(stored).toMatch(/^pbkdf2-sha256\$100000x6\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(await hashPassword("correct horse battery")).not.toBe(stored);
    expect(await verifyPassword("correct horse battery", stored)).toBe(true);
    expect(await verifyPassword("correct horse batterY", stored)).toBe(false);
    expect(await verifyPassword("correct horse battery", DUMMY_HASH)).toBe(false);
  });

  it("refuses malformed hashes and costs it would not write, without throwing", async () => {
    const stored = await hashPassword("a long passphrase");
    for (const broken of ["", "pbkdf2-sha256", stored.replace("100000x6", "100000000x6"), stored.replace("100000x6", "100000x999"), stored.replace(/\$[^$]+$/, "$not base64!"), "md5$abc"]) {
      expect(await verifyPassword("a long passphrase", broken)).toBe(false);
    }
  });

  it("still verifies the first version's scrypt hashes on Node", async () => {
    const salt = randomBytes(16);
    const key = scryptSync("une phrase de passe", salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
    const legacy = `scrypt$${2 ** 15}$8$1$${salt.toString("base64")}$${key.toString("base64")}`;
    expect(await verifyPassword("une phrase de passe", legacy)).toBe(true);
    expect(await verifyPassword("une autre phrase", legacy)).toBe(false);
  });
});
