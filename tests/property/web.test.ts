import fc from "fast-check";
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Service } from "../../src/service.js";
import { DUMMY_HASH } from "../../src/web/caseworker/passwords.js";
import { damaged, expectHandled, hostileText, langLike, messageText, notQuiteJson } from "../support/arbitraries.js";
import { channelService } from "../support/service.js";

const message = fc.record({
  userId: fc.oneof(fc.constantFrom("ana", "p1", " ", ""), hostileText),
  text: messageText,
  lang: fc.option(langLike, { nil: undefined }),
  option: fc.option(fc.oneof(fc.constantFrom("menu", "intent:help.shelter", "lang:fr", "country:CR", "yes"), hostileText), { nil: undefined }),
});

/** Percent-encoding that survives lone surrogates (encodeURIComponent throws on them; forms write U+FFFD). */
const encode = (text: string) => new URLSearchParams({ v: text }).toString().slice(2);

/** The JSON API and the caseworkers' dashboard: any body, any form, any cookie gets a 2xx, 3xx or 4xx. */
describe("any request to the JSON API or the dashboard", () => {
  let service: Service;
  let caseId = 0;
  let caseworkerId = 0;
  beforeAll(async () => {
    service = await channelService({});
    await api({ userId: "someone", text: "me quiero matar" });
    caseId = (await service.store.listCases())[0]!.id;
    const at = new Date().toISOString();
    await service.store.addCaseworker({ username: "ana", passwordHash: DUMMY_HASH, role: "supervisor", lang: "es" }, at);
    caseworkerId = (await service.store.listCaseworkers())[0]!.id;
  });
  afterAll(async () => {
    await service?.close();
  });

  async function api(body: unknown, headers: Record<string, string> = { "content-type": "application/json" }) {
    const res = await service.app.request("/api/messages", { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });
    return { status: res.status, text: await res.text() };
  }

  /** A signed-in supervisor, without the cost of a password: the session is written as sign-in writes it. */
  async function session(): Promise<{ cookie: string; csrf: string }> {
    const token = randomBytes(16).toString("hex");
    const csrf = randomBytes(16).toString("hex");
    const now = new Date();
    const tokenHash = createHash("sha256").update(token).digest("hex");
    await service.store.createSession(tokenHash, caseworkerId, csrf, now.toISOString(), new Date(now.getTime() + 3600_000).toISOString());
    return { cookie: `__Host-bj_session=${token}`, csrf };
  }

  it("a well-formed message with any text gets replies, or a 400 naming the field that is too long or empty", async () => {
    await fc.assert(
      fc.asyncProperty(message, async (body) => {
        const res = await api(body);
        expectHandled(res);
        if (res.status === 200) expect((JSON.parse(res.text) as { replies: unknown[] }).replies.length).toBeGreaterThan(0);
      }),
      { numRuns: 120 },
    );
  });

  it("a message with fields of the wrong type, missing or huge, or any body at all, gets a 2xx or 4xx", async () => {
    const body = fc.oneof(damaged(message), notQuiteJson);
    const contentType = fc.constantFrom("application/json", "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded", "");
    await fc.assert(
      fc.asyncProperty(body, contentType, async (b, type) => expectHandled(await api(typeof b === "string" ? b : JSON.stringify(b) ?? "", { "content-type": type }))),
      { numRuns: 150 },
    );
  });

  it("any form posted to the dashboard, signed in or not, urlencoded or multipart, gets a 2xx, 3xx or 4xx", async () => {
    const id = fc.oneof(fc.constant(":id"), fc.constantFrom("0", "-1", "abc", "1e3", "99999999999999999999", "%00", "%E0%A4%A"));
    const action = fc.constantFrom("reply", "notes", "assign", "template", "claim", "close");
    const path = fc.oneof(
      fc.tuple(id, action).map(([i, a]) => `/caseworker/cases/${i}/${a}`),
      fc.constantFrom("/caseworker/login", "/caseworker/logout", "/caseworker/cases/:id", "/caseworker"),
    );
    const value = fc.oneof({ weight: 4, arbitrary: messageText }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 50 }).map((b) => new File([b], "f.bin")) });
    const fields = fc.dictionary(fc.oneof(fc.constantFrom("_csrf", "text", "nonce", "to", "username", "password"), hostileText), value, { maxKeys: 5 });
    const encoding = fc.constantFrom("urlencoded", "multipart", "broken-multipart");
    const signedIn = fc.constantFrom("session", "session-wrong-csrf", "garbage-cookie", "none");
    await fc.assert(
      fc.asyncProperty(path, fields, encoding, signedIn, hostileText, async (p, form, how, who, junk) => {
        const target = p.replace(":id", String(caseId));
        const headers: Record<string, string> = { "accept-language": "es" };
        const fill = { ...form };
        if (who.startsWith("session")) {
          const s = await session();
          headers.cookie = s.cookie;
          fill._csrf = who === "session" ? s.csrf : "wrong";
          if (target.endsWith("/assign")) fill.to = String(caseworkerId);
        } else if (who === "garbage-cookie") headers.cookie = encode(junk).slice(0, 200) || "=";
        let body: BodyInit;
        if (how === "urlencoded") {
          headers["content-type"] = "application/x-www-form-urlencoded";
          body = new URLSearchParams(Object.entries(fill).map(([k, v]) => [k, typeof v === "string" ? v : "file"])).toString();
        } else if (how === "multipart") {
          body = new FormData();
          for (const [k, v] of Object.entries(fill)) body.append(k, v);
        } else {
          headers["content-type"] = "multipart/form-data; boundary=x";
          body = `--x\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${junk}`;
        }
        const res = await service.app.request(target, { method: "POST", headers, body });
        expectHandled({ status: res.status, text: await res.text() }, true);
      }),
      { numRuns: 200 },
    );
  });

  it("any query on the dashboard's pages gets a 2xx, 3xx or 4xx", async () => {
    const page = fc.constantFrom("/caseworker", "/caseworker/latest", "/caseworker/cases/", "/caseworker/login", "/caseworker/assets/live.js");
    const query = fc.dictionary(fc.constantFrom("status", "priority", "lang", "x"), hostileText, { maxKeys: 3 });
    await fc.assert(
      fc.asyncProperty(page, query, hostileText, async (p, q, tail) => {
        const s = await session();
        const path = p.endsWith("/") ? `${p}${encode(tail)}` : p;
        const res = await service.app.request(`${path}?${new URLSearchParams(q).toString()}`, { headers: { cookie: s.cookie, "accept-language": tail.slice(0, 20).replace(/[^\x20-\x7e]/g, "") } });
        expectHandled({ status: res.status, text: await res.text() }, true);
      }),
      { numRuns: 100 },
    );
  });
});
