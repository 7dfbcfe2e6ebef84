import { describe, expect, it } from "vitest";
import { testApp } from "../support/app.js";

describe("the JSON message API", () => {
  it("reports health with the store and the embedder ready", async () => {
    const { app } = await testApp();
    const res = await app.request("/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", store: true, embedder: "builtin-v2" });
  });

  it("greets a Spanish speaker in Spanish, with the menu as options", async () => {
    const { say } = await testApp();
    const { lang, replies } = await say("ana", "hola buenas");
    expect(lang).toBe("es");
    // First contact: the one-line privacy notice at the top of the greeting, then the menu.
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toMatch(/^🔒 .*cifrado.*30 días.*\n\nHola, soy Brújula/);
    expect(replies[0]!.options!.map((o) => o.id)).toContain("intent:risk.darien");
    // Once only.
    expect((await say("ana", "hola")).replies.map((r) => r.text).join()).not.toContain("🔒");
  });

  it("explains privacy in full when asked, with what is kept and for how long, and the way to delete", async () => {
    const { say } = await testApp();
    await say("ines", "hola");
    const { replies } = await say("ines", "que hacen con mis datos? migracion puede ver esto?");
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toMatch(/30 días/);
    expect(replies[0]!.text).toMatch(/90 días/);
    expect(replies[0]!.text).toMatch(/migración/);
    expect(replies[0]!.options!.map((o) => o.id)).toEqual(["intent:privacy.delete", "menu"]);
    const confirm = await say("ines", "1");
    expect(confirm.replies[0]!.options!.map((o) => o.id)).toEqual(["yes", "no"]);
  });

  it("gives the privacy notice only once the language is known, in that language", async () => {
    const { say } = await testApp();
    const asked = await say("hans", "Guten Tag, ich brauche Hilfe mit meinem Visum bitte");
    expect(asked.replies.map((r) => r.text).join()).not.toContain("🔒");
    const chosen = await say("hans", "2");
    expect(chosen.lang).toBe("en");
    expect(chosen.replies[0]!.text).toMatch(/^🔒 What you write here is stored encrypted/);
  });

  it("greets a Kreyòl speaker in Kreyòl", async () => {
    const { say } = await testApp();
    expect((await say("jean", "bonjou")).lang).toBe("ht");
  });

  it("a number answers the last list of options", async () => {
    const { say } = await testApp();
    const menu = await say("ana", "hola");
    const first = menu.replies.at(-1)!.options![0]!;
    expect(first.id).toBe("intent:risk.darien");
    const answer = await say("ana", "1");
    expect(answer.replies[0]!.text).toMatch(/Fuente|Fuentes/);
  });

  it("a person in danger gets the safety reply, the promise of a person, and a stored handoff", async () => {
    const { say, store } = await testApp();
    const { replies } = await say("rosa", "ayuda nos quitaron los pasaportes y no nos dejan salir de la casa");
    // The vetted safety reply alone says what to do now and that a person will answer; on first contact the
    // privacy notice follows it, never before it.
    expect(replies).toHaveLength(2);
    expect(replies[0]!.text).toMatch(/emergencia/i);
    expect(replies[0]!.text).toMatch(/te responderá/i);
    expect(replies[1]!.text).toMatch(/^🔒/);
    const handoffs = await store.listEvents({ type: "handoff.requested" });
    expect(handoffs).toHaveLength(1);
    expect(handoffs[0]!.data).toMatchObject({ intent: "urgent.trafficking", priority: 2, lang: "es" });
  });

  it("asks for the country before a country-dependent answer, then remembers it", async () => {
    const { say, store } = await testApp();
    const asked = await say("luis", "necesito un albergue para dormir esta noche");
    expect(asked.replies.at(-1)!.options!.map((o) => o.id)).toContain("country:MX");
    const answered = await say("luis", "2");
    expect(answered.replies.length).toBeGreaterThanOrEqual(2);
    const set = await store.listEvents({ type: "country.set" });
    expect(set.at(-1)!.data.country).toBe("PA");
  });

  it("an explicit language choice wins over detection", async () => {
    const { say } = await testApp();
    expect((await say("kim", "english please")).lang).toBe("en");
    expect((await say("kim", "hola necesito ayuda con el asilo")).lang).toBe("en");
  });

  it("offers the five languages, in Spanish and English, to someone writing another language", async () => {
    const { say } = await testApp();
    const { replies } = await say("hans", "Guten Tag, ich brauche Hilfe mit meinem Visum bitte");
    expect(replies[0]!.options!.map((o) => o.id)).toEqual(["lang:es", "lang:en", "lang:fr", "lang:ht", "lang:pt"]);
    expect(replies[0]!.text).toContain("español");
    expect(replies[0]!.text).toContain("English");
  });

  it("forgets a person who asks, after confirmation", async () => {
    const { say, store } = await testApp();
    await say("eva", "hola");
    await say("eva", "borra mis datos por favor");
    const done = await say("eva", "si");
    expect(done.replies[0]!.text.length).toBeGreaterThan(0);
    const remaining = await store.listEvents({ type: "message.interpreted" });
    expect(remaining).toEqual([]);
    expect(await store.listEvents({ type: "privacy.deleted" })).toHaveLength(1);
  });

  it("never stores the raw user id", async () => {
    const { say, store } = await testApp();
    await say("+50760000000", "hola");
    const events = await store.listEvents();
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) {
      expect(e.userKey).toMatch(/^[0-9a-f]{32}$/);
      expect(JSON.stringify(e)).not.toContain("50760000000");
    }
  });
});

describe("bad requests get clear errors, never a crash", () => {
  it("rejects malformed JSON", async () => {
    const { send } = await testApp();
    const { status, json } = await send("{not json");
    expect(status).toBe(400);
    expect(json.error.code).toBe("invalid_json");
  });

  it("names the missing or wrong fields", async () => {
    const { send } = await testApp();
    const { status, json } = await send({ userId: "x", lang: "de" });
    expect(status).toBe(400);
    expect(json.error.details.map((d: { field: string }) => d.field).sort()).toEqual(["lang", "text"]);
  });

  it("rejects other content types", async () => {
    const { app } = await testApp();
    const res = await app.request("/api/messages", { method: "POST", headers: { "content-type": "text/plain" }, body: "hola" });
    expect(res.status).toBe(415);
  });

  it("caps the body size", async () => {
    const { send } = await testApp({ maxBodyBytes: 2048 });
    const { status, json } = await send({ userId: "x", text: "a".repeat(5000) });
    expect(status).toBe(413);
    expect(json.error.code).toBe("body_too_large");
  });

  it("requires the API key when one is configured", async () => {
    const { send } = await testApp({ apiKey: "k".repeat(24) });
    expect((await send({ userId: "x", text: "hola" })).status).toBe(401);
    expect((await send({ userId: "x", text: "hola" }, { "x-api-key": "wrong" })).status).toBe(401);
    expect((await send({ userId: "x", text: "hola" }, { "x-api-key": "k".repeat(24) })).status).toBe(200);
  });

  it("answers unknown routes with 404 JSON", async () => {
    const { app } = await testApp();
    const res = await app.request("/nope");
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });

  it("replies politely to empty, emoji-only and enormous messages", async () => {
    const { say } = await testApp();
    for (const text of ["", "🙏🙏🙏", "\u0000\u200b", "ayuda ".repeat(1500)]) {
      const { replies } = await say("z", text);
      expect(replies.length).toBeGreaterThan(0);
    }
  });
});
