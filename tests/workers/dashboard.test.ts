import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { testWebSealer } from "../support/keys.js";
import type { D1Like } from "../../src/store/d1/connection.js";
import { D1Store } from "../../src/store/d1/d1-store.js";
import { hashPassword } from "../../src/web/caseworker/passwords.js";
import { formBrowser } from "../support/browser.js";

/** The caseworkers' dashboard on the Worker: sign in (PBKDF2 through WebCrypto), see a case from D1, answer it. */
const worker = (exports as unknown as { default: { fetch(request: Request): Promise<Response> } }).default;
const store = new D1Store((env as unknown as { DB: D1Like }).DB, testWebSealer());

describe("the dashboard on the Worker", () => {
  it("signs a caseworker in and shows the case a handoff opened", async () => {
    await store.addCaseworker({ username: "ana", passwordHash: await hashPassword("correct horse battery"), role: "supervisor", lang: "es" }, new Date().toISOString());
    await worker.fetch(
      new Request("https://brujula.example.org/api/messages", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userId: "dash-1", text: "quiero hablar con una persona" }) }),
    );
    const b = formBrowser((path, init) => worker.fetch(new Request(`https://brujula.example.org${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), "cf-connecting-ip": "203.0.113.7" } })));
    expect(await b.request("/caseworker")).toMatchObject({ status: 303, location: "/caseworker/login" });
    expect((await b.signIn("ana", "not the password")).status).toBe(401);
    expect(await b.signIn("ana", "correct horse battery")).toMatchObject({ status: 303, location: "/caseworker" });
    const list = await b.request("/caseworker");
    expect(list.status).toBe(200);
    expect(list.html).toContain("Conectado como ana (supervisor)");
    expect(list.html).toContain("human.request");
    const login = await worker.fetch(new Request("https://brujula.example.org/caseworker/login"));
    expect(login.headers.get("content-security-policy") ?? "").toContain("frame-ancestors 'none'");
  });

  it("shows a supervisor the insights from D1, and hands chosen questions over as a JSONL download (no file to write to)", async () => {
    await store.addCaseworker({ username: "ines", passwordHash: await hashPassword("correct horse battery"), role: "supervisor", lang: "fr" }, new Date().toISOString());
    for (const [userId, text] of [["ins-1", "ki tan li pral fè demen"], ["ins-2", "mwen rele Jean Baptiste, ki tan li pral fè demen? 555-0142"]]) {
      await worker.fetch(new Request("https://brujula.example.org/api/messages", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userId, text, lang: "ht" }) }));
    }
    const b = formBrowser((path, init) => worker.fetch(new Request(`https://brujula.example.org${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), "cf-connecting-ip": "203.0.113.8" } })));
    await b.signIn("ines", "correct horse battery");
    const page = await b.request("/caseworker/insights?lang=ht");
    expect(page.status).toBe(200);
    expect(page.html).toContain("<h1>Indicateurs</h1>");
    expect(page.html.match(/<svg role="img"/g)).toHaveLength(8);
    expect(page.html).not.toContain("Jean Baptiste");
    expect(page.html).not.toContain("0142");
    const ids = [...page.html.matchAll(/name="ex" value="(\d+)"/g)].map((m) => m[1]!);
    expect(ids.length).toBeGreaterThanOrEqual(2);
    const csrf = b.field(page.html, "_csrf");
    const res = await worker.fetch(
      new Request("https://brujula.example.org/caseworker/insights/review", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: [...b.jar].map(([k, v]) => `${k}=${v}`).join("; ") },
        body: new URLSearchParams([["_csrf", csrf], ["lang", "ht"], ...ids.map((id) => ["ex", id])]).toString(),
      }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="review-ht-\d{4}-\d{2}-\d{2}\.jsonl"$/);
    const lines = (await res.text()).trim().split("\n").map((line) => JSON.parse(line) as { lang: string; text: string });
    expect(lines.map((l) => l.lang)).toEqual(ids.map(() => "ht"));
    expect(lines.some((l) => l.text.includes("[name]"))).toBe(true);
  });
});
