import { afterEach, describe, expect, it } from "vitest";
import type { Service } from "../../src/service.js";
import { hashPassword } from "../../src/web/caseworker/passwords.js";
import { formBrowser } from "../support/browser.js";
import { channelService } from "../support/service.js";

/** Every response: no sniffing, no referrer; every HTML page: a CSP with no inline script or style, no framing. */
describe("security headers", () => {
  let service: Service;
  afterEach(async () => {
    await service?.close();
  });

  it("puts a strict CSP on every dashboard page, and the pages need no inline script or style", async () => {
    service = await channelService({});
    await service.store.addCaseworker({ username: "ana", passwordHash: await hashPassword("correct horse battery"), role: "supervisor", lang: "es" }, new Date().toISOString());
    const pages: { headers: Headers; html: string }[] = [];
    const b = formBrowser(async (path, init) => {
      const res = await service.app.request(path, init);
      const copy = res.clone();
      if ((res.headers.get("content-type") ?? "").startsWith("text/html")) pages.push({ headers: res.headers, html: await copy.text() });
      return res;
    });
    await service.app.request("/api/messages", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userId: "p1", text: "quiero hablar con una persona" }) });
    const [opened] = await service.store.listCases();
    await b.request("/caseworker/login");
    await b.signIn("ana", "correct horse battery");
    await b.request("/caseworker");
    await b.request(`/caseworker/cases/${opened!.id}`);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    for (const { headers, html } of pages) {
      const csp = headers.get("content-security-policy") ?? "";
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain("unsafe-inline");
      expect(headers.get("x-content-type-options")).toBe("nosniff");
      expect(headers.get("referrer-policy")).toBe("no-referrer");
      expect(headers.get("x-frame-options")).toBe("DENY");
      expect(headers.get("cache-control")).toBe("no-store");
      expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
      expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    }
    const script = await service.app.request("/caseworker/assets/live.js");
    expect(script.headers.get("content-type")).toContain("text/javascript");
    expect(await script.text()).toContain("/caseworker/latest");
    expect((await service.app.request("/caseworker/assets/dashboard.css")).headers.get("content-type")).toContain("text/css");
  });

  it("marks JSON, errors and 404s nosniff and no-referrer too", async () => {
    service = await channelService({});
    for (const res of [
      await service.app.request("/health"),
      await service.app.request("/nowhere"),
      await service.app.request("/api/messages", { method: "POST", headers: { "content-type": "application/json" }, body: "{bad" }),
    ]) {
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      expect(res.headers.get("content-security-policy")).toBeNull();
    }
  });

  it("caps the body of every route, those without their own cap included", async () => {
    service = await channelService({});
    const huge = "x".repeat(70 * 1024);
    for (const path of ["/caseworker/nothing-here", "/webhooks/twilio/status", "/anything"]) {
      const res = await service.app.request(path, { method: "POST", headers: { "content-type": "text/plain", "content-length": String(huge.length) }, body: huge });
      expect(res.status, path).toBe(413);
    }
  });
});
