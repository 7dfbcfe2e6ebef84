import { afterEach, describe, expect, it } from "vitest";
import type { Service } from "../../src/service.js";
import { hashPassword } from "../../src/web/caseworker/passwords.js";
import { formBrowser } from "../support/browser.js";
import { channelService } from "../support/service.js";

/** The supervisors' insights page through the app (app.request and a cookie jar), over the real service. */
describe("the insights page", () => {
  let service: Service;
  afterEach(async () => {
    await service?.close();
  });

  async function signedIn(username: "ana" | "bob") {
    service = await channelService({});
    const at = new Date().toISOString();
    await service.store.addCaseworker({ username: "ana", passwordHash: await hashPassword("correct horse battery"), role: "supervisor", lang: "es" }, at);
    await service.store.addCaseworker({ username: "bob", passwordHash: await hashPassword("another long secret"), role: "caseworker", lang: "en" }, at);
    const b = formBrowser((path, init) => service.app.request(path, init));
    await b.signIn(username, username === "ana" ? "correct horse battery" : "another long secret");
    return b;
  }
  const csrfOf = async (b: ReturnType<typeof formBrowser>) => b.field((await b.request("/caseworker")).html, "_csrf");

  it("shows a supervisor every chart as an accessible image with its table and CSV link, in their language", async () => {
    const b = await signedIn("ana");
    const list = await b.request("/caseworker");
    expect(list.html).toContain('href="/caseworker/insights"');
    const page = await b.request("/caseworker/insights");
    expect(page.status).toBe(200);
    expect(page.html).toContain("<h1>Indicadores</h1>");
    for (const id of ["conversations", "languages", "topics", "decisions", "handoffs", "case-times", "delivery", "ratings"]) {
      expect(page.html).toContain(`<figure id="${id}"`);
      expect(page.html).toContain(`aria-labelledby="chart-${id}-t chart-${id}-d"`);
      expect(page.html).toMatch(new RegExp(`href="/caseworker/insights/csv\\?[^"]*chart=${id}`));
    }
    expect(page.html.match(/<svg role="img"/g)).toHaveLength(8);
    expect(page.html.match(/<details>/g)).toHaveLength(8);
    expect(page.html).not.toMatch(/style=/);
    expect(page.html).toContain('href="/caseworker/assets/insights.css"');
    const css = await service.app.request("/caseworker/assets/insights.css");
    expect(css.headers.get("content-type")).toContain("text/css");
    expect(await css.text()).toContain(".s0{fill:#0072B2}");
  });

  it("defaults to the last 30 days, says why it reaches no further, and switches language with ?ui=", async () => {
    const b = await signedIn("ana");
    const today = new Date().toISOString().slice(0, 10);
    const page = await b.request("/caseworker/insights");
    expect(page.html).toContain(`name="to" value="${today}"`);
    expect(page.html).toContain("RETENTION_DAYS");
    const old = await b.request(`/caseworker/insights?from=2020-01-01&to=${today}&ui=en`);
    expect(old.html).toContain("The dates were limited to the last 30 days.");
    expect(old.html).toContain("<h1>Insights</h1>");
    expect(old.html).toContain('<html lang="en">');
    const fr = await b.request("/caseworker/insights?ui=fr");
    expect(fr.html).toContain("<h1>Indicateurs</h1>");
    expect(fr.html).toContain('name="ui" value="fr"');
    expect((await b.request("/caseworker/insights?from=yesterday")).status).toBe(400);
    expect((await b.request("/caseworker/insights?lang=xx")).status).toBe(400);
    expect((await b.request("/caseworker/insights?from=2026-02-30")).status).toBe(400);
  });

  it("sends each chart as a CSV attachment with headers in the page's language", async () => {
    const b = await signedIn("ana");
    const res = await service.app.request("/caseworker/insights/csv?chart=decisions&ui=fr", { headers: { cookie: [...b.jar].map(([k, v]) => `${k}=${v}`).join("; ") } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="brujula-decisions-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM spreadsheets need to read UTF-8
    expect(new TextDecoder().decode(bytes).split("\r\n")[0]).toBe("Jour,Répondus,Clarifications,Non compris,Non compris (%),Clarifications (%)");
    expect((await b.request("/caseworker/insights/csv?chart=nope")).status).toBe(400);
  });

  it("refuses a caseworker without the supervisor role: page, CSV and review alike", async () => {
    const b = await signedIn("bob");
    const list = await b.request("/caseworker");
    expect(list.html).not.toContain("/caseworker/insights");
    const page = await b.request("/caseworker/insights");
    expect(page.status).toBe(403);
    expect(page.html).toContain("Only supervisors can see the insights page.");
    expect((await b.request("/caseworker/insights/csv?chart=topics")).status).toBe(403);
    expect((await b.request("/caseworker/insights/review", { form: { _csrf: await csrfOf(b), ex: "1" } })).status).toBe(403);
  });

  it("needs the session's CSRF token to copy questions to review", async () => {
    const b = await signedIn("ana");
    expect((await b.request("/caseworker/insights/review", { form: { ex: "1" } })).status).toBe(403);
    expect((await b.request("/caseworker/insights/review", { form: { _csrf: await csrfOf(b) } })).status).toBe(400);
  });

  it("sends a visitor without a session to sign in", async () => {
    service = await channelService({});
    expect((await service.app.request("/caseworker/insights")).headers.get("location")).toBe("/caseworker/login");
  });
});
