import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Service } from "../../src/service.js";
import { hashPassword } from "../../src/web/caseworker/passwords.js";
import { browserAvailable, launchBrowser, serveForBrowser } from "../support/chromium.js";
import { FakeTwilio } from "../support/fake-twilio.js";
import { PLANTED, seedInsights } from "../support/insights-seed.js";
import { channelService } from "../support/service.js";
import { tempDir } from "../support/temp.js";

/**
 * The insights page in a real headless Chromium (Debian's, never downloaded) against the real server on
 * loopback, over a week seeded through the engine: a supervisor sees the charts, switches language, downloads a
 * CSV, reads it on a phone-sized screen (saved as test-artifacts/insights.png); a caseworker is refused.
 */
const ARTIFACTS = join(process.cwd(), "test-artifacts");

describe.runIf(browserAvailable)("the insights page in a browser", () => {
  let twilio: FakeTwilio;
  let service: Service;
  let closeServer: (() => void) | undefined;
  let base = "";
  let context: BrowserContext;

  beforeAll(async () => {
    twilio = await new FakeTwilio().start();
    service = await channelService({ twilio }, { env: { CATALOGUE_DIR: tempDir("catalogue") } });
    const at = new Date().toISOString();
    await service.store.addCaseworker({ username: "ana", passwordHash: await hashPassword("correct horse battery"), role: "supervisor", lang: "es" }, at);
    await service.store.addCaseworker({ username: "bob", passwordHash: await hashPassword("another long secret"), role: "caseworker", lang: "en" }, at);
    await seedInsights(service, { username: "ana", password: "correct horse battery" });
    ({ base, close: closeServer } = await serveForBrowser(service.app.fetch));
    context = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    closeServer?.();
    await service?.close();
    await twilio?.stop();
  });

  async function signIn(page: Page, username: string, password: string) {
    await page.goto(`${base}/caseworker/login`);
    await page.getByLabel("Usuario").fill(username);
    await page.getByLabel("Contraseña").fill(password);
    await page.getByRole("button", { name: "Entrar" }).click();
    await page.waitForURL(`${base}/caseworker`);
  }

  it("shows a supervisor the charts, in English on request, with a CSV to download, on a phone without sideways scrolling", async () => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, "ana", "correct horse battery");
    await page.getByRole("link", { name: "Indicadores" }).click();
    await page.waitForURL(/\/caseworker\/insights/);
    await expect.poll(() => page.getByRole("heading", { level: 1, name: "Indicadores" }).count()).toBe(1);
    const charts = page.locator("svg[role=img]");
    expect(await charts.count()).toBe(8);
    for (const chart of await charts.all()) expect(await chart.isVisible()).toBe(true);
    expect(await page.getByRole("img", { name: "Temas principales (respuestas y derivaciones)" }).count()).toBe(1);

    await page.getByRole("navigation", { name: "Idioma de la página" }).getByRole("link", { name: "English" }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1, name: "Insights" }).count()).toBe(1);
    expect(await page.getByRole("img", { name: "Top topics (answers and handoffs)" }).count()).toBe(1);
    // The table view opens without any script.
    await page.locator("#topics summary").click();
    expect(await page.locator("#topics table").isVisible()).toBe(true);

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /Download CSV \(Top topics/ }).click()]);
    expect(download.suggestedFilename()).toMatch(/^brujula-topics-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, "utf8");
    expect(csv).toContain("Topic,Messages,People");
    expect(csv).toContain("risk.darien,36,36");

    // A phone: nothing wider than the screen (tables scroll inside their own box), with every table open.
    const fits = async () => {
      await page.evaluate(() => document.querySelectorAll("details").forEach((d) => d.setAttribute("open", "")));
      const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
      expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    };
    await fits();
    // The Creole questions, grouped and redacted, with their checkboxes.
    await page.goto(`${base}/caseworker/insights?lang=ht&ui=en`);
    expect(await page.getByRole("checkbox").count()).toBeGreaterThanOrEqual(5);
    expect(await page.getByText("[number]").count()).toBeGreaterThan(0);
    const body = await page.content();
    for (const planted of PLANTED) expect(body).not.toContain(planted);
    await fits();
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.goto(`${base}/caseworker/insights?ui=en`);
    await page.screenshot({ path: join(ARTIFACTS, "insights.png"), fullPage: true });
    expect(existsSync(join(ARTIFACTS, "insights.png"))).toBe(true);
  }, 120_000);

  it("refuses a caseworker without the supervisor role", async () => {
    const fresh = await launchBrowser();
    try {
      const page = await fresh.newPage();
      await signIn(page, "bob", "another long secret");
      expect(await page.getByRole("link", { name: "Insights" }).count()).toBe(0);
      const response = await page.goto(`${base}/caseworker/insights`);
      expect(response!.status()).toBe(403);
      expect(await page.getByText("Only supervisors can see the insights page.").count()).toBe(1);
    } finally {
      await fresh.close();
    }
  }, 60_000);
});
