import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Service } from "../../src/service.js";
import { expectHandled, hostileText, messageText } from "../support/arbitraries.js";
import { FakeTwilio, twilioSignature } from "../support/fake-twilio.js";
import { channelService, postTwilio, SMS_FROM, WHATSAPP_FROM } from "../support/service.js";

const PATHS = ["/webhooks/twilio", "/webhooks/twilio/status"] as const;
/** The parameters Twilio sends on the two webhooks (and a few it sends that we ignore). */
const KNOWN_KEYS = ["MessageSid", "From", "To", "Body", "NumMedia", "MediaContentType0", "MediaUrl0", "Latitude", "Longitude", "MessageStatus", "ErrorCode", "AccountSid", "ProfileName", "WaId", "SmsStatus"];

const from = fc.oneof(
  fc.integer({ min: 0, max: 999 }).map((n) => `whatsapp:+50760000${String(n).padStart(3, "0")}`),
  fc.integer({ min: 0, max: 999 }).map((n) => `+50760001${String(n).padStart(3, "0")}`),
  fc.constantFrom("whatsapp:", "whatsapp:+", "", "+"),
  hostileText,
);
const number = fc.oneof(fc.constantFrom("0", "1", "10", "-1", "1e400", "NaN", "9.93", "-84.08", " 1", "0x10"), fc.double().map(String), hostileText);
/** A form as Twilio sends it, then filled with anything: values hostile, keys unknown, required ones missing. */
const form = fc
  .tuple(
    fc.record(
      {
        MessageSid: fc.oneof(fc.nat().map((n) => `SM${String(n).padStart(32, "0")}`), hostileText),
        From: from,
        To: fc.constantFrom(WHATSAPP_FROM, SMS_FROM),
        Body: messageText,
        NumMedia: number,
        MediaContentType0: fc.oneof(fc.constantFrom("image/jpeg", "image/webp", "audio/ogg", "video/mp4", "text/vcard", "application/pdf", ""), hostileText),
        Latitude: number,
        Longitude: number,
        MessageStatus: fc.oneof(fc.constantFrom("queued", "sent", "delivered", "read", "failed", "undelivered"), hostileText),
        ErrorCode: fc.oneof(fc.constantFrom("63016", "30003", ""), hostileText),
      },
      { requiredKeys: [] },
    ),
    fc.dictionary(fc.oneof(fc.constantFrom(...KNOWN_KEYS), hostileText), hostileText, { maxKeys: 4 }),
  )
  .map(([known, extra]) => ({ ...extra, ...known }));

/** What the server reads back from the encoded form: the values it will check the signature over. */
function asDecoded(params: Record<string, string>): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(new URLSearchParams(params).toString()));
}

/** Twilio's two webhooks: any form, signed or not, is answered with a 2xx or 4xx. */
describe("any Twilio webhook", () => {
  let twilio: FakeTwilio;
  let service: Service;
  beforeAll(async () => {
    twilio = await new FakeTwilio().start();
    service = await channelService({ twilio });
  });
  afterAll(async () => {
    await service?.close();
    await twilio?.stop();
  });

  it("a correctly signed form with any keys and values gets a 2xx or 4xx, never a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PATHS), form, async (path, params) => {
        // Lone surrogates do not survive form encoding: sign what the server will read, so the signature holds.
        expectHandled(await postTwilio(service, asDecoded(params), { path }));
      }),
      { numRuns: 250 },
    );
  });

  it("an unsigned, forged or duplicated signature is refused with 403 (or 413 over the body cap)", async () => {
    const forged = fc.oneof(
      fc.constant(null),
      fc.string({ unit: "grapheme-ascii", maxLength: 60 }),
      fc.base64String({ minLength: 28, maxLength: 28 }),
      form.map((other) => twilioSignature("/webhooks/twilio", asDecoded(other))),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PATHS), form, forged, fc.boolean(), async (path, params, signature, duplicated) => {
        const decoded = asDecoded(params);
        const right = twilioSignature(path, decoded);
        fc.pre(signature !== right);
        // Two X-Twilio-Signature headers arrive joined by a comma: that is not a valid signature either.
        const sent = duplicated && signature !== null ? `${right}, ${signature}` : signature;
        expect([403, 413]).toContain((await postTwilio(service, decoded, { path, signature: sent })).status);
      }),
      { numRuns: 80 },
    );
  });

  it("any raw body, broken encoding or invalid UTF-8 included, signed over what it decodes to, gets a 2xx or 4xx", async () => {
    const raw = fc.oneof(
      hostileText,
      fc.constantFrom("%", "%zz", "a=%E0%A4%A", "=&=&", "Body=%FF%FE&From=%C0%AF", "&&&", "a==b"),
      fc.uint8Array({ maxLength: 200 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PATHS), raw, async (path, body) => {
        const text = typeof body === "string" ? body : new TextDecoder().decode(body);
        const params = Object.fromEntries(new URLSearchParams(text));
        const res = await service.app.request(path, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": twilioSignature(path, params) },
          body,
        });
        expectHandled({ status: res.status, text: await res.text() });
      }),
      { numRuns: 100 },
    );
  });
});
