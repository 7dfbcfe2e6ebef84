import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { testWebSealer } from "../support/keys.js";
import type { D1Like } from "../../src/store/d1/connection.js";
import { D1Store } from "../../src/store/d1/d1-store.js";

/** The Worker's fetch handler inside workerd: the same app and engine as on Node, on D1. */
const worker = (exports as unknown as { default: { fetch(request: Request): Promise<Response> } }).default;
const store = new D1Store((env as unknown as { DB: D1Like }).DB, testWebSealer());

async function send(body: unknown): Promise<Response> {
  return worker.fetch(new Request("https://brujula.example.org/api/messages", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }));
}

describe("the Worker", () => {
  it("is healthy on D1, with the built-in embedder built from the bundled catalogue", async () => {
    const res = await worker.fetch(new Request("https://brujula.example.org/health"));
    expect(res.status).toBe(200);
    const health = (await res.json()) as Record<string, unknown>;
    // What the matcher learned comes from the static asset, not from training at this first request.
    expect(health).toMatchObject({ status: "ok", store: true, runtime: "workers", embedder: "builtin-v2", index: "snapshot" });
    console.log(`first request's assistant in workerd: ${String(health.indexBuildMs)} ms (from the snapshot)`);
    expect(health.examples).toBeGreaterThan(4000);
  });

  it("answers in the person's language from vetted content, and keeps the conversation in D1", async () => {
    const res = await send({ userId: "worker-test-1", text: "mwen vle konnen danje darien yo" });
    expect(res.status).toBe(200);
    const reply = (await res.json()) as { lang: string; replies: { text: string }[] };
    expect(reply.lang).toBe("ht");
    // First contact: the privacy notice in Kreyòl at the top of the answer.
    expect(reply.replies[0]!.text).toMatch(/^🔒 Sa ou ekri la a[^\n]+\n\n.*(Darien|Darién)/s);
    const events = await store.listEvents({ type: "answer.sent" });
    expect(events.at(-1)!.data).toMatchObject({ intent: "risk.darien", lang: "ht" });
  });

  it("hands off a person in danger, opening a case in D1", async () => {
    const res = await send({ userId: "worker-test-2", text: "ayuda me quieren matar" });
    expect(res.status).toBe(200);
    const cases = await store.listCases({ status: "open" });
    expect(cases.some((c) => c.category.startsWith("urgent.") && c.priority === 1)).toBe(true);
  });

  it("refuses bad input with the same errors as on Node", async () => {
    expect((await send({ text: "no user" })).status).toBe(400);
    const notJson = await worker.fetch(new Request("https://brujula.example.org/api/messages", { method: "POST", headers: { "content-type": "application/json" }, body: "{oops" }));
    expect(notJson.status).toBe(400);
    expect((await notJson.json()) as unknown).toMatchObject({ error: { code: "invalid_json" } });
  });
});
