import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "../../src/web/caseworker/passwords.js";

/** Caseworkers sign in on Workers too: the same hashes, within the CPU budget (printed). */
describe("passwords inside workerd", () => {
  it("hashes and verifies with WebCrypto", async () => {
    const started = Date.now();
    const stored = await hashPassword("correct horse battery");
    // workerd's clock only moves across I/O, so this is a coarse wall-clock figure.
    console.log(`hash in workerd: ~${Date.now() - started} ms`);
    expect(await verifyPassword("correct horse battery", stored)).toBe(true);
    expect(await verifyPassword("wrong horse battery", stored)).toBe(false);
    // First-version scrypt hashes need Node: refused here, not crashed on.
    expect(await verifyPassword("x", "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAA")).toBe(false);
  });
});
