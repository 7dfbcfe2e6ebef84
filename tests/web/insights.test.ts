import fc from "fast-check";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Service } from "../../src/service.js";
import { CHART_IDS, type ChartId } from "../../src/web/caseworker/csv.js";
import { hashPassword } from "../../src/web/caseworker/passwords.js";
import { expectHandled, hostileText } from "../support/arbitraries.js";
import { formBrowser } from "../support/browser.js";
import { FakeTwilio } from "../support/fake-twilio.js";
import { PLANTED, seedInsights, type Seeded } from "../support/insights-seed.js";
import { channelService } from "../support/service.js";
import { tempDir } from "../support/temp.js";

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

describe("the insights page over a week seeded through the engine", () => {
  let twilio: FakeTwilio;
  let service: Service;
  let seeded: Seeded;
  let catalogue: string;
  let ana: ReturnType<typeof formBrowser>;

  beforeAll(async () => {
    twilio = await new FakeTwilio().start();
    catalogue = tempDir("catalogue");
    service = await channelService({ twilio }, { env: { CATALOGUE_DIR: catalogue } });
    const at = new Date().toISOString();
    await service.store.addCaseworker({ username: "ana", passwordHash: await hashPassword("correct horse battery"), role: "supervisor", lang: "es" }, at);
    await service.store.addCaseworker({ username: "bob", passwordHash: await hashPassword("another long secret"), role: "caseworker", lang: "en" }, at);
    seeded = await seedInsights(service, { username: "ana", password: "correct horse battery" });
    ana = formBrowser((path, init) => service.app.request(path, init));
    await ana.signIn("ana", "correct horse battery");
  }, 120_000);
  afterAll(async () => {
    await service?.close();
    await twilio?.stop();
  });

  /** Every chart's CSV for the same filters, as text. */
  const csvs = async (query: string) => {
    const out = {} as Record<ChartId, string>;
    for (const chart of CHART_IDS) {
      const res = await ana.request(`/caseworker/insights/csv?chart=${chart}&${query}`);
      expect(res.status).toBe(200);
      out[chart] = res.html;
    }
    return out;
  };
  const rows = (csv: string) => csv.replace(/^\uFEFF/, "").trim().split("\r\n").map((line) => line.split(","));

  it("counts people per day, channel and language, and hides the two people asking in Creole by SMS", async () => {
    const { conversations, languages } = await csvs("ui=en");
    const [, shelterDay, , footballDay, , , ] = [...seeded.days].reverse(); // today, 1, 2, 3 days ago…
    expect(rows(conversations)).toContainEqual([shelterDay!, "whatsapp", "es", "6"]);
    expect(rows(conversations)).toContainEqual([footballDay!, "sms", "ht", "<5"]);
    expect(rows(languages)).toContainEqual([footballDay!, "ht", "—"]);
    const page = await ana.request("/caseworker/insights?ui=en");
    expect(page.html).toContain(`<td>${footballDay}</td><td>sms</td><td>ht</td><td class="num">&lt;5</td>`);
  });

  it("shows topics, handoffs with the one person in danger hidden, and the time to answer and close", async () => {
    const { topics, handoffs } = await csvs("ui=en");
    expect(rows(topics)).toContainEqual(["risk.darien", "36", "36"]);
    expect(rows(topics)).toContainEqual(["human.request", "5", "5"]);
    expect(rows(handoffs)).toContainEqual(["human.request", "P3", "5"]);
    expect(rows(handoffs)).toContainEqual(["urgent.self_harm", "P1", "<5"]);
    const times = rows((await csvs("ui=en"))["case-times"]);
    expect(times[1]![0]).toBe("First caseworker reply");
    expect(Number(times[1]![1])).toBeGreaterThanOrEqual(0);
    expect(Number(times[2]![2])).toBeGreaterThanOrEqual(0);
  });

  it("shows how useful people found an answer only when both sides of the share are shown", async () => {
    const { ratings } = await csvs("ui=en");
    expect(rows(ratings)).toContainEqual(["risk.darien", "es", "—", "Useful", "6"]);
    expect(rows(ratings)).toContainEqual(["risk.darien", "es", "—", "Not useful", "5"]);
    expect(rows(ratings)).toContainEqual(["help.health", "es", "—", "Useful", "<5"]);
    const page = await ana.request("/caseworker/insights?ui=en");
    const chart = /<svg[^>]*aria-labelledby="chart-ratings-t[\s\S]*?<\/svg>/.exec(page.html)![0];
    expect(chart).toContain("54.5%");
    expect(chart).toMatch(/help\.health<\/text>(?:(?!<text).)*<text[^>]*>—<\/text>/s);
  });

  it("filters by day and language", async () => {
    const day = seeded.days.at(-3)!; // two days ago: the Darién on WhatsApp, a doctor on Telegram
    const { conversations, topics } = await csvs(`from=${day}&to=${day}&ui=en`);
    expect(rows(conversations).slice(1)).toEqual([[day, "telegram", "es", "5"], [day, "whatsapp", "es", "6"]]);
    expect(rows(topics).slice(1).map((r) => r[0])).toEqual(["risk.darien", "help.health"]);
    const creole = await csvs("lang=ht&ui=en");
    expect(rows(creole.conversations).slice(1).every((r) => r[2] === "ht")).toBe(true);
    expect(rows(creole.topics)).toHaveLength(1); // nothing answered in Creole
  });

  it("never shows the planted name or phone numbers, on the page or in any CSV", async () => {
    for (const query of ["ui=es", "lang=ht&ui=en", `lang=ht&from=${seeded.days.at(-2)}&to=${seeded.days.at(-2)}&ui=fr`]) {
      const page = await ana.request(`/caseworker/insights?${query}`);
      const texts = [page.html, ...Object.values(await csvs(query))];
      for (const text of texts) for (const planted of PLANTED) expect(text).not.toContain(planted);
    }
  });

  it("speaks the supervisor's language, or the one asked for", async () => {
    expect((await ana.request("/caseworker/insights")).html).toContain("Personas que escriben por día, por canal");
    expect((await ana.request("/caseworker/insights?ui=en")).html).toContain("People writing per day, by channel");
    expect((await ana.request("/caseworker/insights?ui=fr")).html).toContain("Personnes qui écrivent par jour, par canal");
    expect(rows((await csvs("ui=fr")).handoffs)[0]).toEqual(["Catégorie", "Priorité", "Personnes"]);
  });

  /** The page's groups of unanswered questions for a language: each group's form, and its examples' ids and texts. */
  const groupsOn = (html: string) =>
    [...html.matchAll(/<form class="group"[\s\S]*?<\/form>/g)].map(([form]) => ({
      form,
      examples: [...form.matchAll(/name="ex" value="(\d+)"\/> ([^<]*)<\/label>/g)].map((m) => ({ id: m[1]!, text: m[2]! })),
    }));

  it("groups the Creole questions by meaning, redacted: the weather apart from football", async () => {
    const page = await ana.request("/caseworker/insights?lang=ht&ui=en");
    const groups = groupsOn(page.html);
    const about = (word: string) => groups.filter((g) => g.examples.some((e) => e.text.includes(word)));
    const weather = about("demen");
    const football = about("foutbòl");
    expect(football).toHaveLength(1);
    for (const g of weather) expect(g.examples.some((e) => e.text.includes("foutbòl"))).toBe(false);
    // Most of the seven weather questions say the same thing: one group of at least five, its size shown.
    const sizes = weather.map((g) => Number(/Group \d+: (\d+) questions/.exec(g.form)?.[1] ?? 0));
    expect(Math.max(...sizes)).toBeGreaterThanOrEqual(5);
    expect(weather[sizes.indexOf(Math.max(...sizes))]!.form).toMatch(/nearest topic [a-z_.]+ \(0\.\d\d\)/);
    const texts = groups.flatMap((g) => g.examples.map((e) => e.text));
    expect(texts.some((t) => t.includes("[number]"))).toBe(true);
    // The group shows five of its questions; every one of them was redacted before it was stored.
    const stored = (await service.store.listUnanswered({ from: seeded.days[0]!, to: seeded.days.at(-1)!, lang: "ht" })).map((q) => q.text);
    expect(stored).toContain("mwen rele [name], rele m nan [number]: ki tan li pral fè demen?");
    for (const text of stored) for (const planted of PLANTED) expect(text).not.toContain(planted);
    // Two people asked about football: the group's size is not shown.
    expect(football[0]!.form).toContain("&lt;5 questions");
    const csv = await ana.request(`/caseworker/insights/csv?chart=unanswered&lang=ht&ui=en`);
    expect(csv.html).toContain("Example (redacted)");
    expect(csv.html).toContain("foutbòl");
  });

  it("copies chosen questions to intents/review/ht.jsonl in the catalogue, for a person to check and commit", async () => {
    const page = await ana.request("/caseworker/insights?lang=ht&ui=en");
    const [group] = groupsOn(page.html).filter((g) => g.examples.some((e) => e.text.includes("demen")));
    const chosen = group!.examples.slice(0, 2);
    const form = new URLSearchParams([["_csrf", ana.field(page.html, "_csrf")], ["lang", "ht"], ["ui", "en"], ...chosen.map((e) => ["ex", e.id])]);
    const cookie = [...ana.jar].map(([k, v]) => `${k}=${v}`).join("; ");
    const posted = await service.app.request("/caseworker/insights/review", { method: "POST", headers: { cookie, "content-type": "application/x-www-form-urlencoded" }, body: form.toString() });
    expect(posted.status).toBe(303);
    expect(posted.headers.get("location")).toContain("added=2");
    const lines = readFileSync(join(catalogue, "intents", "review", "ht.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { lang: string; text: string });
    expect(lines.map((l) => l.text).sort()).toEqual(chosen.map((e) => e.text.replace(/&#39;/g, "'")).sort());
    expect(lines.every((l) => l.lang === "ht")).toBe(true);
    expect((await ana.request(posted.headers.get("location")!)).html).toContain("2 questions added to intents/review/ht.jsonl");
  });

  it("answers any query or review form with a 2xx, 3xx or 4xx, never an error", async () => {
    const cookie = [...ana.jar].map(([k, v]) => `${k}=${v}`).join("; ");
    const csrf = ana.field((await ana.request("/caseworker")).html, "_csrf");
    const value = fc.oneof(hostileText, fc.constantFrom("2026-02-30", "2026-11-01", "9999-12-31", "0000-01-01", "ht", "unanswered", "-1", "1e309", "99999999999999999999"));
    const query = fc.dictionary(fc.constantFrom("from", "to", "lang", "ui", "chart", "added", "x"), value, { maxKeys: 5 });
    const form = fc.array(fc.tuple(fc.constantFrom("ex", "ex", "intent", "lang", "from", "to", "ui"), value), { maxLength: 60 });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("", "/csv"), query, form, async (path, q, f) => {
        const page = await service.app.request(`/caseworker/insights${path}?${new URLSearchParams(q)}`, { headers: { cookie } });
        expectHandled({ status: page.status, text: await page.text() }, true);
        const body = new URLSearchParams([["_csrf", csrf], ...f]).toString();
        const posted = await service.app.request("/caseworker/insights/review", { method: "POST", headers: { cookie, "content-type": "application/x-www-form-urlencoded" }, body });
        expectHandled({ status: posted.status, text: await posted.text() }, true);
      }),
      { numRuns: 60 },
    );
  });

  it("refuses the caseworker bob", async () => {
    const bob = formBrowser((path, init) => service.app.request(path, init));
    await bob.signIn("bob", "another long secret");
    expect((await bob.request("/caseworker/insights")).status).toBe(403);
    expect((await bob.request("/caseworker/insights/csv?chart=unanswered&lang=ht")).status).toBe(403);
    const csrf = bob.field((await bob.request("/caseworker")).html, "_csrf");
    expect((await bob.request("/caseworker/insights/review", { form: { _csrf: csrf, lang: "ht", ex: "1" } })).status).toBe(403);
  });
});
