import { twilioSignature } from "../../tests/support/fake-twilio.js";
import { HOSTILE_PIECES, HUGE_TEXTS, nestedJson } from "../../tests/support/hostile-text.js";
import { damage, jsonPaths, replaceAt } from "../../tests/support/json-damage.js";
import { SMS_FROM, WEBHOOK_SECRET, WHATSAPP_FROM } from "../../tests/support/webhooks.js";

/**
 * The requests `npm run fuzz` sends: malformed and mutated webhooks, API calls and dashboard forms, each one a
 * pure function of (seed, index), so a failure is reproduced with the same seed. Nothing here sends anything.
 */
export interface FuzzRequest {
  kind: string;
  method: string;
  /** Printable ASCII only (what an HTTP request line can carry). */
  path: string;
  /** A name may repeat (two signatures); values are printable ASCII, as HTTP allows. */
  headers: [string, string][];
  body?: Uint8Array | undefined;
  /** Sent in chunks without a Content-Length, so the server must count the bytes to refuse it. */
  chunked?: boolean | undefined;
}

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(max: number): number {
    return Math.floor(this.next() * max);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

const encoder = new TextEncoder();
const JSON_TYPE = "application/json";
const FORM_TYPE = "application/x-www-form-urlencoded";
const TWILIO_PATHS = ["/webhooks/twilio", "/webhooks/twilio/status"];
const POST_ROUTES = ["/webhooks/telegram", ...TWILIO_PATHS, "/api/messages", "/caseworker/login", "/caseworker/cases/1/reply"];
const OPTIONS = ["menu", "intent:risk.darien", "intent:privacy.delete", "lang:ht", "country:PA", "country:ask", "yes", "no", "claim:1", "x".repeat(80)];
/** Bodies no JSON parser should accept, or should accept only to find nonsense. */
const BROKEN_JSON = ["", "{", "[", "nul", '{"update_id":', '{"a":1}{"b":2}', "\uFEFF{}", "1e999", '{"update_id":1e400}', '{"__proto__":{"x":1},"update_id":1}', '"\\ud800"', nestedJson(10_000), nestedJson(10_000, '{"update_id":1}'), `{"update_id":1,"message":${nestedJson(5_000)}}`, `{"userId":"a","text":${nestedJson(10_000, '"x"')}}`];
const BROKEN_FORMS = ["%", "%zz", "Body=%E0%A4%A&From=%2", "=&=&", "&&&", "a==b", "MessageSid=SM1&MessageSid=SM2&From=whatsapp%3A%2B1", "From=%C0%AF&Body=%FF%FE", `Body=${"%41".repeat(5_000)}`];
const INVALID_UTF8 = [[0xc0, 0xaf], [0xff], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe0, 0x80], [0x00]];

function codeUnits(rng: Rng, length: number): string {
  return String.fromCharCode(...Array.from({ length }, () => rng.int(0x10000)));
}

/** Message text: hostile pieces, any UTF-16 code units, or a long paste. */
function text(rng: Rng): string {
  const roll = rng.next();
  if (roll < 0.05) {
    const huge = rng.pick(HUGE_TEXTS);
    return huge.slice(0, 500 + rng.int(huge.length));
  }
  if (roll < 0.2) return codeUnits(rng, rng.int(40));
  return Array.from({ length: 1 + rng.int(6) }, () => rng.pick(HOSTILE_PIECES)).join(rng.chance(0.5) ? " " : "");
}

/** Printable ASCII without spaces: what may stand in a header value or a request path. */
function printable(rng: Rng, length: number): string {
  return String.fromCharCode(...Array.from({ length }, () => 0x21 + rng.int(0x5e)));
}

function someJson(rng: Rng): unknown {
  return rng.pick<() => unknown>([() => null, () => rng.chance(0.5), () => rng.int(2 ** 31) * (rng.chance(0.5) ? -1 : 1), () => rng.next() * 1e300, () => text(rng), () => [], () => ({}), () => [text(rng)], () => ({ id: text(rng) }), () => undefined])();
}

/** A payload damaged like a broken client would: fields of another type, removed, huge, or swapped. */
function mutateJson(rng: Rng, value: unknown): unknown {
  if (rng.chance(0.3)) {
    const paths = jsonPaths(value);
    const [a, b] = [rng.pick(paths), rng.pick(paths)];
    const valueAt = (path: typeof a) => path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], value);
    if (a && b && !a.every((k, i) => b[i] === k) && !b.every((k, i) => a[i] === k)) return replaceAt(replaceAt(value, a, valueAt(b)), b, valueAt(a));
  }
  const edits = Array.from({ length: 1 + rng.int(3) }, () => ({ at: rng.int(1_000), replacement: someJson(rng) }));
  return damage(value, edits);
}

/** Bytes damaged in transit: bits flipped, cut short, invalid UTF-8 spliced in. */
function mutateBytes(rng: Rng, bytes: Uint8Array): Uint8Array {
  const out = Uint8Array.from(bytes);
  switch (rng.int(3)) {
    case 0:
      for (let i = 0, n = 1 + rng.int(8); i < n && out.length > 0; i++) out[rng.int(out.length)]! ^= 1 << rng.int(8);
      return out;
    case 1:
      return out.slice(0, rng.int(out.length + 1));
    default: {
      const at = rng.int(out.length + 1);
      return Uint8Array.from([...out.slice(0, at), ...rng.pick(INVALID_UTF8), ...out.slice(at)]);
    }
  }
}

function telegramUpdate(rng: Rng, index: number): Record<string, unknown> {
  const person = 1 + rng.int(500);
  const from = { id: person, is_bot: rng.chance(0.05), first_name: "P", ...(rng.chance(0.7) ? { language_code: rng.pick(["es", "en", "fr", "ht", "pt", "pt-br", "de"]) } : {}) };
  const content = rng.pick<() => Record<string, unknown>>([
    () => ({ text: text(rng) }),
    () => ({ text: text(rng) }),
    () => ({ caption: text(rng), photo: [{ file_id: "p", file_unique_id: "u", width: 1, height: 1 }] }),
    () => ({ voice: { file_id: "v", file_unique_id: "u", duration: 1 } }),
    () => ({ location: { latitude: rng.next() * 180 - 90, longitude: rng.next() * 360 - 180 } }),
  ])();
  const message = { message_id: index, date: 1764000000, chat: { id: person, type: rng.chance(0.9) ? "private" : "group" }, from, ...content };
  if (rng.chance(0.25)) return { update_id: index, callback_query: { id: `cb${index}`, chat_instance: "ci", from, data: rng.pick(OPTIONS), message } };
  return { update_id: index, message };
}

function twilioForm(rng: Rng, index: number, path: string): Record<string, string> {
  const sid = `SM${String(index).padStart(32, "0")}`;
  if (path.endsWith("/status")) return { MessageSid: sid, MessageStatus: rng.pick(["queued", "sent", "delivered", "read", "failed", "undelivered"]), ...(rng.chance(0.3) ? { ErrorCode: rng.pick(["63016", "30003"]) } : {}) };
  const from = `${rng.chance(0.6) ? "whatsapp:" : ""}+5076${String(rng.int(500)).padStart(7, "0")}`;
  const form: Record<string, string> = { MessageSid: sid, From: from, To: from.startsWith("whatsapp:") ? WHATSAPP_FROM : SMS_FROM, Body: text(rng), NumMedia: "0" };
  if (rng.chance(0.1)) Object.assign(form, { NumMedia: "1", MediaContentType0: rng.pick(["image/jpeg", "audio/ogg", "text/vcard", "application/pdf"]) });
  if (rng.chance(0.05)) Object.assign(form, { Latitude: String(rng.next() * 180 - 90), Longitude: String(rng.next() * 360 - 180) });
  return form;
}

/** A form signed as Twilio signs it, over the parameters the server will decode from these very bytes. */
function signedForm(kind: string, path: string, body: Uint8Array): FuzzRequest {
  const params = Object.fromEntries(new URLSearchParams(new TextDecoder().decode(body)));
  return { kind, method: "POST", path, headers: [["content-type", FORM_TYPE], ["x-twilio-signature", twilioSignature(path, params)]], body };
}

function telegram(kind: string, body: Uint8Array, secret: [string, string][] = [["x-telegram-bot-api-secret-token", WEBHOOK_SECRET]]): FuzzRequest {
  return { kind, method: "POST", path: "/webhooks/telegram", headers: [["content-type", JSON_TYPE], ...secret], body };
}

const json = (value: unknown) => encoder.encode(JSON.stringify(value) ?? "");
const form = (params: Record<string, string> | [string, string][]) => encoder.encode(new URLSearchParams(params).toString());
const anyOf = (rng: Rng, items: readonly string[]) => encoder.encode(rng.pick(items));

type Make = (rng: Rng, index: number, maxBodyBytes: number) => FuzzRequest;

/** Every kind of request, with how often it is sent. */
const KINDS: { kind: string; weight: number; make: Make }[] = [
  { kind: "telegram/valid", weight: 2, make: (rng, i) => telegram("telegram/valid", json(telegramUpdate(rng, i))) },
  {
    kind: "telegram/mutated",
    weight: 4,
    make: (rng, i) => {
      const body = json(mutateJson(rng, telegramUpdate(rng, i)));
      return telegram("telegram/mutated", rng.chance(0.3) ? mutateBytes(rng, body) : body);
    },
  },
  { kind: "telegram/broken-json", weight: 1, make: (rng) => telegram("telegram/broken-json", rng.chance(0.7) ? anyOf(rng, BROKEN_JSON) : mutateBytes(rng, encoder.encode(codeUnits(rng, 50)))) },
  {
    kind: "telegram/secret",
    weight: 1,
    make: (rng, i) => {
      const secret = rng.pick<[string, string][]>([[], [["x-telegram-bot-api-secret-token", printable(rng, 1 + rng.int(300))]], [["x-telegram-bot-api-secret-token", WEBHOOK_SECRET], ["x-telegram-bot-api-secret-token", "x"]], [["x-telegram-bot-api-secret-token", `${WEBHOOK_SECRET}x`]], [["x-telegram-bot-api-secret-token", WEBHOOK_SECRET.toUpperCase()]]]);
      return telegram("telegram/secret", json(telegramUpdate(rng, i)), secret);
    },
  },
  { kind: "twilio/valid", weight: 2, make: (rng, i) => { const path = rng.pick(TWILIO_PATHS); return signedForm("twilio/valid", path, form(twilioForm(rng, i, path))); } },
  {
    kind: "twilio/mutated",
    weight: 4,
    make: (rng, i) => {
      const path = rng.pick(TWILIO_PATHS);
      const pairs = Object.entries(twilioForm(rng, i, path));
      // Before signing (fields removed, swapped, repeated, unknown, any value), or after (the signature breaks).
      const [a, b] = [rng.int(pairs.length), rng.int(pairs.length)];
      const edit = rng.int(5);
      if (edit === 0) pairs.splice(a, 1);
      if (edit === 1) [pairs[a]![1], pairs[b]![1]] = [pairs[b]![1], pairs[a]![1]];
      if (edit === 2) pairs.push([pairs[a]![0], text(rng)]);
      if (edit === 3) pairs.push([rng.pick([text(rng), "__proto__", "constructor"]), text(rng)]);
      if (edit === 4) pairs[a]![1] = rng.pick([text(rng), "", "-1", "1e400", "NaN", "whatsapp:"]);
      const signed = signedForm("twilio/mutated", path, form(pairs));
      return rng.chance(0.3) ? { ...signed, body: mutateBytes(rng, signed.body!) } : signed;
    },
  },
  { kind: "twilio/broken-form", weight: 1, make: (rng) => signedForm("twilio/broken-form", rng.pick(TWILIO_PATHS), rng.chance(0.6) ? anyOf(rng, BROKEN_FORMS) : mutateBytes(rng, encoder.encode(codeUnits(rng, 50)))) },
  {
    kind: "twilio/signature",
    weight: 1,
    make: (rng, i) => {
      const path = rng.pick(TWILIO_PATHS);
      const signed = signedForm("twilio/signature", path, form(twilioForm(rng, i, path)));
      const right = signed.headers[1]![1];
      const forged = rng.pick<[string, string][]>([[], [["x-twilio-signature", printable(rng, 28)]], [["x-twilio-signature", right], ["x-twilio-signature", printable(rng, 28)]], [["x-twilio-signature", `${right.slice(0, -2)}${right.at(-2) === "A" ? "Q" : "A"}=`]], [["x-twilio-signature", twilioSignature("/webhooks/other", {})]]]);
      return { ...signed, headers: [["content-type", FORM_TYPE], ...forged] };
    },
  },
  {
    kind: "api/mutated",
    weight: 2,
    make: (rng) => {
      const message = { userId: `fuzz-${rng.int(300)}`, text: text(rng), ...(rng.chance(0.3) ? { lang: rng.pick(["es", "ht", "xx"]) } : {}), ...(rng.chance(0.2) ? { option: rng.pick(OPTIONS) } : {}) };
      const body = rng.chance(0.15) ? anyOf(rng, BROKEN_JSON) : json(rng.chance(0.3) ? message : mutateJson(rng, message));
      return { kind: "api/mutated", method: "POST", path: "/api/messages", headers: [["content-type", JSON_TYPE]], body };
    },
  },
  {
    kind: "wrong-content-type",
    weight: 1,
    make: (rng, i) => {
      const type = rng.pick(["", "text/plain", "application/json; charset=latin1", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded; charset=utf-16", printable(rng, 20)]);
      const body = rng.chance(0.5) ? json(telegramUpdate(rng, i)) : form(twilioForm(rng, i, "/webhooks/twilio"));
      return { kind: "wrong-content-type", method: "POST", path: rng.pick(POST_ROUTES), headers: [["content-type", type], ["x-telegram-bot-api-secret-token", WEBHOOK_SECRET]], body };
    },
  },
  {
    kind: "over-the-cap",
    weight: 1,
    make: (rng, _i, maxBodyBytes) => {
      const body = new Uint8Array(maxBodyBytes + 1 + rng.int(maxBodyBytes)).fill(0x61);
      return { kind: "over-the-cap", method: "POST", path: rng.pick(POST_ROUTES), headers: [["content-type", rng.pick([JSON_TYPE, FORM_TYPE])], ["x-telegram-bot-api-secret-token", WEBHOOK_SECRET]], body, chunked: rng.chance(0.5) };
    },
  },
  {
    kind: "random-route",
    weight: 1,
    make: (rng) => {
      const method = rng.pick(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "PROPFIND", "PURGE"]);
      const path = rng.pick(["/", "//", "/health", "/health/", "/webhooks", "/webhooks/TELEGRAM", "/webhooks/twilio/status/x", "/api/messages/", "/%", "/%00", "/%E0%A4%A", "/..%2f..%2fetc%2fpasswd", "/caseworker/cases/1e999", "/caseworker/cases/-1", "/caseworker/assets/../x", `/${printable(rng, 1 + rng.int(3000)).replace(/[?#]/g, "")}`, `/api/messages?${printable(rng, 50)}`]);
      const body = method === "GET" || method === "HEAD" || rng.chance(0.5) ? undefined : encoder.encode(text(rng));
      return { kind: "random-route", method, path, headers: rng.chance(0.5) ? [["content-type", JSON_TYPE]] : [], body };
    },
  },
  {
    kind: "dashboard",
    weight: 1,
    make: (rng) => {
      const path = rng.pick(["/caseworker", "/caseworker/login", "/caseworker/logout", "/caseworker/latest", `/caseworker/cases/${rng.pick(["1", "0", "x", "%00"])}/${rng.pick(["reply", "notes", "assign", "claim", "close", "template"])}`]);
      const cookie = rng.pick(["", `__Host-bj_session=${printable(rng, 43).replace(/;/g, "")}`, `__Host-bj_login=${printable(rng, 20).replace(/;/g, "")}`, "=;=;;", "%E0%A4%A=1"]);
      const body = form([["_csrf", printable(rng, 10)], ["username", text(rng)], ["password", text(rng)], ["text", text(rng)], ["to", "1"]]);
      const method = path === "/caseworker" || path.endsWith("latest") || rng.chance(0.2) ? "GET" : "POST";
      return { kind: "dashboard", method, path, headers: [["content-type", rng.pick([FORM_TYPE, "multipart/form-data; boundary=x"])], ...(cookie ? [["cookie", cookie] as [string, string]] : [])], body: method === "GET" ? undefined : body };
    },
  },
];

export const FUZZ_KINDS: readonly string[] = KINDS.map((k) => k.kind);
const TOTAL_WEIGHT = KINDS.reduce((sum, k) => sum + k.weight, 0);

/** The request number `index` of a run with `seed`: the same on every machine and in every order. */
export function fuzzRequest(seed: number, index: number, maxBodyBytes: number): FuzzRequest {
  const rng = new Rng((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  let roll = rng.int(TOTAL_WEIGHT);
  const chosen = KINDS.find((k) => (roll -= k.weight) < 0)!;
  return chosen.make(rng, index, maxBodyBytes);
}
