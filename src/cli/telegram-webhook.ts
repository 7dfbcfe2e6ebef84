import { Api, GrammyError, HttpError } from "grammy";
import { configOrExit } from "../runtime-node.js";
import { createTranslator } from "../core/i18n/index.js";
import { LANGS } from "../core/languages.js";
import { COMMANDS } from "../channels/telegram/webhook.js";
import { flagString, parseFlags } from "./args.js";

/**
 * `npm run telegram:webhook -- --url https://example.org` points Telegram at /webhooks/telegram with the secret
 * token and only the updates Brújula handles, and registers the commands in the five languages (Spanish is the
 * default for everyone else). `--delete` removes the webhook.
 */
const ALLOWED_UPDATES = ["message", "callback_query"] as const;

async function main(): Promise<number> {
  const flags = parseFlags(process.argv.slice(2));
  const config = configOrExit();
  if (!config.TELEGRAM_BOT_TOKEN || !config.TELEGRAM_WEBHOOK_SECRET) {
    console.error("Set TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET first (see README, Configuration).");
    return 2;
  }
  const api = new Api(config.TELEGRAM_BOT_TOKEN, { apiRoot: config.TELEGRAM_API_ROOT, timeoutSeconds: 20 });
  if (flags.has("delete")) {
    await api.deleteWebhook();
    console.log("Webhook deleted.");
    return 0;
  }
  const base = flagString(flags, "url") ?? config.PUBLIC_URL;
  if (!base || !/^https:\/\//.test(base)) {
    console.error("Give the public https base URL: npm run telegram:webhook -- --url https://example.org (or set PUBLIC_URL).");
    return 2;
  }
  const url = `${base.replace(/\/$/, "")}/webhooks/telegram`;
  const me = await api.getMe();
  await api.setWebhook(url, { secret_token: config.TELEGRAM_WEBHOOK_SECRET, allowed_updates: [...ALLOWED_UPDATES] });
  const translator = createTranslator();
  const commandsIn = (lang: (typeof LANGS)[number]) =>
    (Object.keys(COMMANDS) as (keyof typeof COMMANDS)[]).map((command) => ({ command, description: translator(lang)(`commands.${command}`) }));
  await api.setMyCommands(commandsIn("es"));
  for (const lang of LANGS) await api.setMyCommands(commandsIn(lang), { language_code: lang });
  console.log(`Webhook set for @${me.username}: ${url} (updates: ${ALLOWED_UPDATES.join(", ")}); commands registered in ${LANGS.join(", ")}.`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof GrammyError) console.error(`Telegram refused: ${error.error_code} ${error.description}`);
    else if (error instanceof HttpError) console.error(`Telegram could not be reached: ${error.message}`);
    else console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
