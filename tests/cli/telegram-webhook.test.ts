import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/catalog/files.js";
import { BOT_TOKEN, FakeTelegram } from "../support/fake-telegram.js";
import { WEBHOOK_SECRET } from "../support/service.js";

/** `npm run telegram:webhook`, through the real command, against the fake Bot API. */
function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(PROJECT_ROOT, "src/cli/telegram-webhook.ts"), ...args], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? "", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("npm run telegram:webhook", () => {
  let telegram: FakeTelegram;
  beforeAll(async () => {
    telegram = await new FakeTelegram().start();
  });
  afterAll(async () => {
    await telegram.stop();
  });

  it("sets the webhook with the secret and allowed updates, and registers commands in five languages", async () => {
    const env = { TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET, TELEGRAM_API_ROOT: telegram.url };
    const result = await run(["--url", "https://brujula.example.org/"], env);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const [webhook] = telegram.calls("setWebhook");
    expect(webhook!.params).toMatchObject({
      url: "https://brujula.example.org/webhooks/telegram",
      secret_token: WEBHOOK_SECRET,
      allowed_updates: ["message", "callback_query"],
    });
    const commands = telegram.calls("setMyCommands");
    expect(commands.map((c) => c.params.language_code ?? "default")).toEqual(["default", "es", "en", "fr", "ht", "pt"]);
    expect(commands.find((c) => c.params.language_code === "ht")!.params.commands).toContainEqual({ command: "human", description: "Pale ak yon moun" });

    expect((await run(["--delete"], env)).code).toBe(0);
    expect(telegram.calls("deleteWebhook")).toHaveLength(1);
  });

  it("explains what is missing instead of failing obscurely", async () => {
    const missing = await run(["--url", "https://x.org"], {});
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("TELEGRAM_BOT_TOKEN");
    const insecure = await run(["--url", "http://x.org"], { TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET, TELEGRAM_API_ROOT: telegram.url });
    expect(insecure.code).toBe(2);
    expect(insecure.stderr).toContain("https");
  });
});
