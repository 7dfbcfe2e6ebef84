import { getExpectedTwilioSignature, validateRequest } from "twilio/lib/webhooks/webhooks.js";
import { describe, expect, it } from "vitest";
import { twilioSignature, validTwilioSignature } from "../../src/channels/twilio/signature.js";
import { webCryptoHmac } from "../../src/core/hmac.js";
import { nodeHmac } from "../../src/hmac-node.js";

/** Our signature check, with either HMAC (WebCrypto on Workers, node:crypto on Node), against the twilio SDK's own. */
const TOKEN = "12345678901234567890123456789012";
const cases: { url: string; params: Record<string, string> }[] = [
  { url: "https://brujula.example.org/webhooks/twilio", params: { Body: "hola", From: "whatsapp:+50760000001", MessageSid: "SM1", NumMedia: "0" } },
  { url: "https://brujula.example.org/webhooks/twilio", params: { Body: "mwen bezwen èd 🙏 — «ayuda» 中文", From: "+15005550006", a: "", Z: "upper", _: "under" } },
  { url: "https://brujula.example.org:443/webhooks/twilio/status?x=1&y=%C3%A9", params: { MessageStatus: "delivered", MessageSid: "SM2" } },
  { url: "http://localhost:8787/webhooks/twilio", params: {} },
  { url: "https://user@host.example/path?q=a b", params: { Body: "a=b&c=d", Latitude: "8.98", Longitude: "-79.5" } },
];

describe.each([
  ["WebCrypto", webCryptoHmac],
  ["node:crypto", nodeHmac],
])("Twilio signatures with %s", (_, hmac) => {
  it("computes exactly the signature of the SDK", async () => {
    for (const { url, params } of cases) expect(await twilioSignature(TOKEN, url, params, hmac)).toBe(getExpectedTwilioSignature(TOKEN, url, params));
  });

  it("accepts what the SDK accepts and refuses what it refuses, ports and all", async () => {
    for (const { url, params } of cases) {
      for (const signedUrl of [url, url.replace("brujula.example.org/", "brujula.example.org:443/"), url.replace(":443", "")]) {
        const signature = getExpectedTwilioSignature(TOKEN, signedUrl, params);
        expect(await validTwilioSignature(TOKEN, signature, url, params, hmac)).toBe(validateRequest(TOKEN, signature, url, params));
      }
      const good = getExpectedTwilioSignature(TOKEN, url, params);
      expect(await validTwilioSignature(TOKEN, good, url, params, hmac)).toBe(true);
      expect(await validTwilioSignature("another-token-another-token-12345", good, url, params, hmac)).toBe(false);
      expect(await validTwilioSignature(TOKEN, good, url, { ...params, Body: "tampered" }, hmac)).toBe(false);
      for (const forged of ["", "Zm9yZ2Vk", "not base64 !!", good.slice(0, -2)]) expect(await validTwilioSignature(TOKEN, forged, url, params, hmac)).toBe(false);
    }
  });
});
