import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Service } from "../../src/service.js";
import { hashPassword } from "../../src/web/caseworker/passwords.js";
import { browserAvailable, launchBrowser, serveForBrowser } from "../support/chromium.js";
import { FakeTwilio } from "../support/fake-twilio.js";
import { channelService, messageSid, postTwilio, waitForOutbox, WHATSAPP_FROM } from "../support/service.js";

/**
 * The caseworkers' dashboard in a real headless Chromium (Debian's, never downloaded), against the real server
 * on loopback: sign in, see a new case appear, answer it, close it.
 */

describe.runIf(browserAvailable)("the dashboard in a browser", () => {
  let twilio: FakeTwilio;
  let service: Service;
  let closeServer: (() => void) | undefined;
  let base = "";
  let context: BrowserContext;

  beforeAll(async () => {
    twilio = await new FakeTwilio().start();
    service = await channelService({ twilio });
    await service.store.addCaseworker({ username: "ana", passwordHash: await hashPassword("correct horse battery"), role: "supervisor", lang: "es" }, new Date().toISOString());
    ({ base, close: closeServer } = await serveForBrowser(service.app.fetch));
    context = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    closeServer?.();
    await service?.close();
    await twilio?.stop();
  });

  it("signs in, sees a new case appear, answers the person and closes the case", async () => {
    const page = await context.newPage();
    await page.goto(`${base}/caseworker`);
    expect(page.url()).toBe(`${base}/caseworker/login`);
    await page.getByLabel("Usuario").fill("ana");
    await page.getByLabel("Contraseña").fill("correct horse battery");
    await page.getByRole("button", { name: "Entrar" }).click();
    await page.waitForURL(`${base}/caseworker`);
    await expect.poll(() => page.getByText("No hay casos aquí.").count()).toBe(1);

    // A person writes on WhatsApp: the open list shows the new case without anyone reloading it.
    await postTwilio(service, { MessageSid: messageSid(), From: "whatsapp:+50760000050", To: WHATSAPP_FROM, Body: "auxilio estamos perdidos en la selva", NumMedia: "0" });
    await page.waitForSelector("tr[data-case]", { timeout: 15_000 });
    await page.locator("tr[data-case] a").first().click();
    await expect.poll(() => page.getByText("auxilio estamos perdidos en la selva").count()).toBe(1);

    await page.getByLabel("Responder a la persona").fill("Hola, soy Ana. Quédense juntos, estamos avisando a la Cruz Roja.");
    await page.getByRole("button", { name: "Enviar" }).click();
    await expect.poll(() => page.getByText("Quédense juntos").count()).toBeGreaterThan(0);
    await page.getByRole("button", { name: "Cerrar el caso" }).click();
    await expect.poll(() => page.getByText("Este caso está cerrado.").count()).toBe(1);
    await waitForOutbox(service, (items) => items.every((i) => i.status === "sent"));
    const bodies = twilio.messages().map((m) => m.Body ?? "");
    expect(bodies).toContain("Hola, soy Ana. Quédense juntos, estamos avisando a la Cruz Roja.");
    expect(bodies.at(-1)).toContain("del 1 (nada) al 5 (mucho)");
  }, 60_000);

  it("keeps the security promises in the browser too: no session, no CSRF token, brute force", async () => {
    const fresh = await launchBrowser();
    try {
      const page = await fresh.newPage();
      await page.goto(`${base}/caseworker/cases/1`);
      expect(page.url()).toBe(`${base}/caseworker/login`);
      // A form posted without its token (as a forged cross-site form would be) is refused.
      const forged = await page.request.post(`${base}/caseworker/login`, { form: { username: "ana", password: "correct horse battery" } });
      expect(forged.status()).toBe(403);
      for (let i = 0; i < 5; i++) {
        await page.goto(`${base}/caseworker/login`);
        await page.getByLabel("Usuario").fill("ana");
        await page.getByLabel("Contraseña").fill(`wrong guess ${i}`);
        await page.getByRole("button", { name: "Entrar" }).click();
        await expect.poll(() => page.getByText("Usuario o contraseña incorrectos.").count()).toBe(1);
      }
      await page.getByLabel("Usuario").fill("ana");
      await page.getByLabel("Contraseña").fill("correct horse battery");
      await page.getByRole("button", { name: "Entrar" }).click();
      await expect.poll(() => page.getByText("Demasiados intentos fallidos").count()).toBe(1);
      expect(page.url()).toBe(`${base}/caseworker/login`);
    } finally {
      await fresh.close();
    }
  }, 60_000);
});
