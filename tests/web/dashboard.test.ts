import { afterEach, describe, expect, it } from "vitest";
import type { Service } from "../../src/service.js";
import { hashPassword } from "../../src/web/caseworker/passwords.js";
import { formBrowser } from "../support/browser.js";
import { FakeTwilio } from "../support/fake-twilio.js";
import { channelService, messageSid, postTwilio, waitForOutbox, WHATSAPP_FROM } from "../support/service.js";

/** A cookie jar over app.request: what a browser would keep and send back. */
function browser(service: Service) {
  return formBrowser((path, init) => service.app.request(path, init));
}

describe("the caseworkers' dashboard", () => {
  let service: Service;
  afterEach(async () => {
    await service?.close();
  });

  async function withAccounts() {
    service = await channelService({});
    const at = new Date().toISOString();
    await service.store.addCaseworker({ username: "ana", passwordHash: await hashPassword("correct horse battery"), role: "supervisor", lang: "es" }, at);
    await service.store.addCaseworker({ username: "bob", passwordHash: await hashPassword("another long secret"), role: "caseworker", lang: "en" }, at);
    // Two people handed off through the JSON channel; one case is claimed on Telegram by someone else.
    for (const [userId, text] of [["p1", "me quiero matar"], ["p2", "quiero hablar con una persona"]]) {
      await service.app.request("/api/messages", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userId, text }) });
    }
    const [first] = await service.store.listCases();
    await service.store.updateCase(first!.id, { claimedBy: "telegram:42" }, at, []);
    return service;
  }

  it("sends a visitor without a session to the sign-in page", async () => {
    const b = browser(await withAccounts());
    expect(await b.request("/caseworker")).toMatchObject({ status: 303, location: "/caseworker/login" });
    const page = await b.request("/caseworker/login");
    expect(page.status).toBe(200);
    expect(page.html).toContain("Entrar");
  });

  it("signs in with a hardened session cookie, lists cases most urgent first, and signs out", async () => {
    const b = browser(await withAccounts());
    expect(await b.signIn("ana", "correct horse battery")).toMatchObject({ status: 303, location: "/caseworker" });
    const session = b.setCookies.find((c) => c.startsWith("__Host-bj_session="))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/Secure/);
    expect(session).toMatch(/SameSite=Strict/);
    const list = await b.request("/caseworker");
    expect(list.status).toBe(200);
    expect(list.html).toContain("Conectado como ana (supervisor)");
    const order = [...list.html.matchAll(/data-case="(\d+)"/g)].map((m) => Number(m[1]));
    expect(order).toHaveLength(2);
    expect(list.html.indexOf("urgent.self_harm")).toBeLessThan(list.html.indexOf("human.request"));
    // Signing out needs the session's CSRF token.
    expect((await b.request("/caseworker/logout", { form: {} })).status).toBe(403);
    expect(await b.request("/caseworker/logout", { form: { _csrf: b.field(list.html, "_csrf") } })).toMatchObject({ status: 303 });
    expect(await b.request("/caseworker")).toMatchObject({ status: 303, location: "/caseworker/login" });
  });

  it("shows a caseworker unclaimed cases and their own, not cases claimed by others, in their language", async () => {
    const b = browser(await withAccounts());
    await b.signIn("bob", "another long secret");
    const list = await b.request("/caseworker");
    expect(list.html).toContain("Signed in as bob (caseworker)");
    expect(list.html).toContain("human.request");
    expect(list.html).not.toContain("urgent.self_harm");
  });

  it("refuses a form over 16 KB with 413, whether its length is declared or not", async () => {
    await withAccounts();
    const body = `username=ana&password=${"x".repeat(20_000)}`;
    const post = (headers: Record<string, string>) =>
      service.app.request("/caseworker/login", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body });
    for (const response of [await post({ "content-length": String(body.length) }), await post({})]) {
      expect(response.status).toBe(413);
      expect(await response.text()).toBe("Too large");
    }
  });

  it("refuses a sign-in without its CSRF token, and wrong passwords", async () => {
    const b = browser(await withAccounts());
    await b.request("/caseworker/login");
    expect((await b.request("/caseworker/login", { form: { username: "ana", password: "correct horse battery" } })).status).toBe(403);
    const wrong = await b.signIn("ana", "not the password");
    expect(wrong.status).toBe(401);
    expect(wrong.html).toContain("Usuario o contraseña incorrectos.");
    expect((await b.signIn("nobody", "whatever whatever")).status).toBe(401);
  });

  it("counts parallel guesses too: at most five are checked", async () => {
    const b = browser(await withAccounts());
    const page = await b.request("/caseworker/login");
    const csrf = b.field(page.html, "_csrf");
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => b.request("/caseworker/login", { form: { username: "ana", password: `parallel guess ${i}`, _csrf: csrf } })),
    );
    expect(results.filter((r) => r.status === 401).length).toBeLessThanOrEqual(5);
    expect(results.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(15);
  });

  it("stops a brute-force attempt after five failures, even with the right password", async () => {
    const b = browser(await withAccounts());
    for (let i = 0; i < 5; i++) expect((await b.signIn("ana", `guess number ${i}`)).status).toBe(401);
    const blocked = await b.signIn("ana", "correct horse battery");
    expect(blocked.status).toBe(429);
    expect(blocked.html).toContain("Demasiados intentos fallidos");
  });

  it("answers a WhatsApp person from the case page, once per form, then claims and closes the case", async () => {
    const twilio = await new FakeTwilio().start();
    try {
      service = await channelService({ twilio });
      const at = new Date().toISOString();
      await service.store.addCaseworker({ username: "ana", passwordHash: await hashPassword("correct horse battery"), role: "caseworker", lang: "es" }, at);
      await service.store.addCaseworker({ username: "bob", passwordHash: await hashPassword("another long secret"), role: "caseworker", lang: "en" }, at);
      const from = "whatsapp:+50760000040";
      await postTwilio(service, { MessageSid: messageSid(), From: from, To: WHATSAPP_FROM, Body: "me detuvo migracion en el aeropuerto", NumMedia: "0" });
      const [opened] = await service.store.listCases();
      const b = browser(service);
      await b.signIn("ana", "correct horse battery");
      const page = await b.request(`/caseworker/cases/${opened!.id}`);
      expect(page.status).toBe(200);
      expect(page.html).toContain("me detuvo migracion en el aeropuerto");
      expect(page.html).toContain("las respuestas le llegan directamente");
      // Two days later, without a template configured, the page says the answer will wait.
      await service.store.commitTurn({ userKey: opened!.userKey, channel: "whatsapp", state: (await service.store.getState(opened!.userKey))!, events: [], contact: { address: from, lastInboundAt: new Date(Date.now() - 48 * 3600_000).toISOString() }, outbox: [] });
      expect((await b.request(`/caseworker/cases/${opened!.id}`)).html).toContain("no hay plantilla aprobada configurada");
      await service.store.commitTurn({ userKey: opened!.userKey, channel: "whatsapp", state: (await service.store.getState(opened!.userKey))!, events: [], contact: { address: from, lastInboundAt: new Date().toISOString() }, outbox: [] });
      const form = { _csrf: b.field(page.html, "_csrf"), nonce: b.field(page.html, "nonce"), text: "Hola, soy Ana. ¿En qué aeropuerto estás?" };
      expect((await b.request(`/caseworker/cases/${opened!.id}/reply`, { form: { ...form, _csrf: "wrong" } })).status).toBe(403);
      expect((await b.request(`/caseworker/cases/${opened!.id}/reply`, { form })).status).toBe(303);
      expect((await b.request(`/caseworker/cases/${opened!.id}/reply`, { form })).status).toBe(303);
      await twilio.waitFor(() => twilio.messages().some((m) => m.Body === form.text));
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(twilio.messages().filter((m) => m.Body === form.text)).toHaveLength(1);

      expect((await b.request(`/caseworker/cases/${opened!.id}/claim`, { form: { _csrf: form._csrf } })).status).toBe(303);
      const other = browser(service);
      await other.signIn("bob", "another long secret");
      expect((await other.request(`/caseworker/cases/${opened!.id}`)).status).toBe(404);
      expect((await b.request(`/caseworker/cases/${opened!.id}/close`, { form: { _csrf: form._csrf } })).status).toBe(303);
      await waitForOutbox(service, (items) => items.every((i) => i.status === "sent"));
      expect(twilio.messages().at(-1)!.Body).toContain("Responde con un número del 1 (nada) al 5 (mucho)");
      expect((await service.store.caseAudit(opened!.id)).map((a) => a.action)).toEqual(["opened", "viewed", "viewed", "replied", "claimed", "closed"]);
    } finally {
      await twilio.stop();
    }
  });

  it("filters by priority, keeps private notes, and lets only a supervisor assign a case", async () => {
    const b = browser(await withAccounts());
    await b.signIn("ana", "correct horse battery");
    const p1 = await b.request("/caseworker?priority=1");
    expect(p1.html).toContain("urgent.self_harm");
    expect(p1.html).not.toContain("human.request");
    const [, second] = await service.store.listCases();
    const page = await b.request(`/caseworker/cases/${second!.id}`);
    const csrf = b.field(page.html, "_csrf");
    expect((await b.request(`/caseworker/cases/${second!.id}/notes`, { form: { _csrf: csrf, text: "Llamó dos veces; prefiere que le escriban por la tarde." } })).status).toBe(303);
    expect((await b.request(`/caseworker/cases/${second!.id}`)).html).toContain("prefiere que le escriban por la tarde");

    const bob = browser(service);
    await bob.signIn("bob", "another long secret");
    const bobPage = await bob.request(`/caseworker/cases/${second!.id}`);
    expect((await bob.request(`/caseworker/cases/${second!.id}/assign`, { form: { _csrf: bob.field(bobPage.html, "_csrf"), to: "1" } })).status).toBe(403);
    const bobId = (await service.store.listCaseworkers()).find((w) => w.username === "bob")!.id;
    expect((await b.request(`/caseworker/cases/${second!.id}/assign`, { form: { _csrf: csrf, to: String(bobId) } })).status).toBe(303);
    expect(await service.store.getCase({ id: second!.id })).toMatchObject({ status: "claimed", claimedBy: `web:${bobId}` });
    expect((await bob.request("/caseworker")).html).toContain("human.request");
    expect((await service.store.caseAudit(second!.id)).map((a) => a.action)).toEqual(["opened", "viewed", "noted", "viewed", "viewed", "claimed", "assigned"]);
  });

  it("offers the approved template on the case page when the WhatsApp window has closed", async () => {
    const twilio = await new FakeTwilio().start();
    try {
      service = await channelService({ twilio }, { env: { TWILIO_WHATSAPP_TEMPLATE_SID: `HX${"3".repeat(32)}` } });
      await service.store.addCaseworker({ username: "ana", passwordHash: await hashPassword("correct horse battery"), role: "supervisor", lang: "es" }, new Date().toISOString());
      const from = "whatsapp:+50760000041";
      await postTwilio(service, { MessageSid: messageSid(), From: from, To: WHATSAPP_FROM, Body: "quiero hablar con una persona", NumMedia: "0" });
      const [opened] = await service.store.listCases();
      await service.store.commitTurn({ userKey: opened!.userKey, channel: "whatsapp", state: (await service.store.getState(opened!.userKey))!, events: [], contact: { address: from, lastInboundAt: new Date(Date.now() - 30 * 3600_000).toISOString() }, outbox: [] });
      const b = browser(service);
      await b.signIn("ana", "correct horse battery");
      const page = await b.request(`/caseworker/cases/${opened!.id}`);
      expect(page.html).toContain("Enviar ahora la plantilla aprobada");
      expect((await b.request(`/caseworker/cases/${opened!.id}/template`, { form: { _csrf: b.field(page.html, "_csrf") } })).status).toBe(303);
      await twilio.waitFor(() => twilio.messages().some((m) => m.ContentSid === `HX${"3".repeat(32)}` && m.To === from));
      expect((await service.store.caseAudit(opened!.id)).map((a) => a.action)).toContain("template");
    } finally {
      await twilio.stop();
    }
  });
});
