import { describe, expect, it } from "vitest";
import { keyring, keyringFrom, parseDataKey, SealError, WebSealer } from "../../src/store/sealing.js";
import { NodeSealer } from "../../src/store/sqlite/node-sealer.js";
import { testRing } from "../support/keys.js";

/** The sealed format is one: Node (node:crypto, for SQLite) and Workers (WebCrypto, for D1) read each other's. */
describe("sealing values at rest", () => {
  const node = new NodeSealer(testRing);
  const web = new WebSealer(testRing);
  const text = "mwen bezwen èd 🙏 \u0000 مرحبا \u200b +50760000001";

  it("opens with WebCrypto what node:crypto sealed, and the other way round", async () => {
    const byNode = node.seal("inbound.text", text);
    const byWeb = await web.seal("inbound.text", text);
    expect(byNode).toMatch(new RegExp(`^enc1\\.${testRing.current.id}\\.`));
    expect(byNode).not.toContain("50760000001");
    expect(await web.open("inbound.text", byNode)).toBe(text);
    expect(node.open("inbound.text", byWeb)).toBe(text);
    // A fresh IV each time: the same words never seal to the same value.
    expect(node.seal("inbound.text", text)).not.toBe(byNode);
  });

  it("refuses a value moved to another column, damaged, or sealed with a key it does not hold", async () => {
    const sealed = node.seal("contacts.address", "+50760000001");
    expect(() => node.open("inbound.text", sealed)).toThrow(SealError);
    await expect(web.open("inbound.text", sealed)).rejects.toThrow(/does not open/);
    const flipped = sealed.slice(0, -6) + (sealed.at(-6) === "A" ? "B" : "A") + sealed.slice(-5);
    expect(() => node.open("contacts.address", flipped)).toThrow(SealError);
    const other = new NodeSealer(await keyring(new Uint8Array(32).fill(1)));
    expect(() => other.open("contacts.address", sealed)).toThrow(`data key ${testRing.current.id}`);
  });

  it("leaves empty values and rows stored before encryption as they are", async () => {
    for (const empty of ["", "{}", "[]"]) {
      expect(node.seal("outbox.payload", empty)).toBe(empty);
      expect(await web.seal("outbox.payload", empty)).toBe(empty);
    }
    expect(node.open("inbound.text", "written before encryption")).toBe("written before encryption");
  });

  it("reads keys as hex or base64 and rejects any other length", async () => {
    const hex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    const b64 = btoa(String.fromCharCode(...parseDataKey(hex)!));
    expect(parseDataKey(b64)).toEqual(parseDataKey(hex));
    expect(parseDataKey(hex.slice(2))).toBeNull();
    expect(parseDataKey("not a key")).toBeNull();
    const ring = await keyringFrom(`${hex}\n`, `${"11".repeat(32)},${"22".repeat(32)}`);
    expect(ring.keys.size).toBe(3);
    await expect(keyringFrom("", "")).rejects.toThrow(SealError);
    await expect(keyringFrom(hex, "short")).rejects.toThrow(/64 hex digits or base64/);
  });
});
