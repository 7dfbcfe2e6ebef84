import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks.js";
import { FakeProvider, type RecordedRequest } from "./fake-provider.js";

export const ACCOUNT_SID = `AC${"0".repeat(31)}1`;
export const AUTH_TOKEN = "fake-twilio-auth-token-0123456789";
export const PUBLIC_URL = "https://brujula.example.org";

/** A local fake of Twilio's Messages API: checks Basic auth, records messages, answers with a SID. */
export class FakeTwilio extends FakeProvider {
  private next = 1;

  messages(): Record<string, string>[] {
    return this.requests.filter((r) => r.path.endsWith("/Messages.json")).map((r) => Object.fromEntries(new URLSearchParams(r.body)));
  }

  protected answer(request: RecordedRequest): { status: number; body: unknown } {
    const expected = `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString("base64")}`;
    if (request.headers.authorization !== expected) return { status: 401, body: { code: 20003, message: "Authenticate" } };
    if (request.path !== `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`) return { status: 404, body: { code: 20404, message: "Not found" } };
    const form = new URLSearchParams(request.body);
    if (form.get("To") === "+15005550001") return { status: 400, body: { code: 21211, message: "The 'To' number is not a valid phone number." } };
    const sid = `SM${String(this.next++).padStart(32, "0")}`;
    return { status: 201, body: { sid, status: "queued", to: form.get("To"), from: form.get("From"), body: form.get("Body") } };
  }
}

/** Signs a webhook the way Twilio does, over our public URL. */
export function twilioSignature(path: string, params: Record<string, string>, token = AUTH_TOKEN): string {
  return getExpectedTwilioSignature(token, `${PUBLIC_URL}${path}`, params);
}

/**
 * Whether every part of a reply has arrived, given the bodies sent since it began: a long SMS goes out as
 * "(1/n) …", "(2/n) …", one send each, and a test that reads after the first part reads half an answer.
 */
export function allParts(bodies: readonly string[]): boolean {
  const first = bodies[0];
  if (first === undefined) return false;
  return bodies.length >= Number(/^\(1\/(\d+)\) /.exec(first)?.[1] ?? 1);
}
