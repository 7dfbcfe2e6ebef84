import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { testWebSealer } from "../support/keys.js";
import { D1Store, type D1Like } from "../../src/store/d1/d1-store.js";
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
});
