import { serve } from "@hono/node-server";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

/** Debian's Chromium (`.ci/run` installs it with apt when missing); no browser is ever downloaded. */
export const CHROMIUM = "/usr/bin/chromium";

/** Browser tests run where Chromium is installed, and always in CI (where a missing browser is a failure). */
export const browserAvailable = existsSync(CHROMIUM) || Boolean(process.env.CI);

/**
 * A headless browser with a fresh profile of its own (its own cookies), in a Panamanian Spanish locale. The
 * profile (a few MB) is deleted when the context is closed.
 */
export async function launchBrowser(): Promise<BrowserContext> {
  const profile = mkdtempSync(join(tmpdir(), "brujula-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    locale: "es-PA",
    acceptDownloads: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  // Once closed (the browser has exited and stopped writing to it); a profile left behind is only untidy.
  const close = context.close.bind(context);
  context.close = async (options) => {
    await close(options);
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    } catch {
      // left in the temporary directory
    }
  };
  return context;
}

/** The app served on a free loopback port, as src/node.ts serves it, for a browser to visit. */
export async function serveForBrowser(fetch: (request: Request) => Response | Promise<Response>): Promise<{ base: string; close: () => void }> {
  const server = serve({ fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise((resolve) => server.once("listening", resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}
