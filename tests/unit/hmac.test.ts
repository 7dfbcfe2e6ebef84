import { describe, expect, it } from "vitest";
import { sameBytes, webCryptoHmac, type HmacHash } from "../../src/core/hmac.js";
import { userKeyFor } from "../../src/core/identity.js";
import { nodeHmac } from "../../src/hmac-node.js";

describe("HMAC: WebCrypto (Workers, the default) and node:crypto (the Node service)", () => {
  const inputs: [HmacHash, string, string][] = [
    ["SHA-256", "a server secret", "telegram:123456789"],
    ["SHA-256", "ñandú-🔑", "whatsapp:whatsapp:+15005550006"],
    ["SHA-1", "12345678901234567890123456789012", "https://brujula.example.org/webhooks/twilioBodymwen bezwen èd 🙏From+15005550006"],
    ["SHA-1", "a key", ""],
  ];

  it("give the same bytes", async () => {
    for (const [hash, key, data] of inputs) {
      const node = nodeHmac(hash, key, data);
      expect(node).toBeInstanceOf(Uint8Array);
      expect(Array.from(await node)).toEqual(Array.from(await webCryptoHmac(hash, key, data)));
    }
  });

  it("give people the same keys on both runtimes, and the keys they always had", async () => {
    // Independently computed (Python's hmac): a change here would orphan every person's conversation and cases.
    expect(await userKeyFor("telegram", "123456789", "test-secret-ñ", nodeHmac)).toBe("14f937bc87100ed56dcd53a95a606579");
    expect(await userKeyFor("whatsapp", "whatsapp:+15005550006", "test-secret-ñ", nodeHmac)).toBe("7e8e0033964447345186bba099d949c6");
    // WebCrypto, under another secret (a remembered key would otherwise answer), gives the independent value too.
    expect(await userKeyFor("telegram", "123456789", "test-secret-ñ-2", webCryptoHmac)).toBe("96e045bd0ca1d1841e48bdb073177daf");
  });

  it("compares bytes without stopping at the first difference, and never equal across lengths", () => {
    expect(sameBytes(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 3))).toBe(true);
    expect(sameBytes(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 4))).toBe(false);
    expect(sameBytes(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2))).toBe(false);
    expect(sameBytes(new Uint8Array(0), new Uint8Array(0))).toBe(true);
  });
});
