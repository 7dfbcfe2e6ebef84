import { createInterface } from "node:readline";
import { Conversations } from "../core/conversation.js";
import { isCountryCode } from "../core/countries.js";
import type { Reply } from "../core/engine/types.js";
import { userKeyFor } from "../core/identity.js";
import { isLang } from "../core/languages.js";
import { configOrExit, createNodeAssistant, ensureIdSecret, loadDataKeys, openSqliteStore } from "../runtime-node.js";
import { flagString, parseFlags } from "./args.js";

/**
 * `npm run chat -- [--lang ht] [--country MX] [--user maria]`: a terminal conversation with the same engine
 * and store as the server. Options are numbered; type the number to choose. Ctrl-D or /quit to leave.
 */
const flags = parseFlags(process.argv.slice(2));
const lang = flagString(flags, "lang");
const country = flagString(flags, "country")?.toUpperCase();
if (lang !== undefined && !isLang(lang)) {
  console.error(`--lang must be one of es, en, fr, ht, pt (got "${lang}")`);
  process.exit(2);
}
if (country !== undefined && !isCountryCode(country)) {
  console.error(`--country must be an ISO code such as PA, CR, MX, GT, HN, US, CO (got "${country}")`);
  process.exit(2);
}

const config = configOrExit();
const store = openSqliteStore(await loadDataKeys(config), config);
const assistant = await createNodeAssistant({ fastText: config.FASTTEXT === "on" });
const conversations = new Conversations(assistant.engine, store);
const userKey = await userKeyFor("cli", flagString(flags, "user") ?? "terminal", ensureIdSecret(config.DATA_DIR, config.ID_HASH_KEY));

if (lang || country) {
  const state = (await store.getState(userKey)) ?? {};
  await store.saveState(userKey, "cli", { ...state, ...(lang ? { lang, langChosen: true } : {}), ...(country ? { country } : {}) });
}

function render(reply: Reply): string {
  const options = (reply.options ?? []).map((o, i) => `  ${i + 1}. ${o.label}`);
  return [reply.text, ...options].join("\n");
}

// Lines are read as a stream, so piped input (`printf 'hola\n1\n' | npm run chat`) is answered line by line too.
const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
console.log("Brújula — terminal chat. Write a message (e.g. \"hola\"), a number to choose an option, /quit to leave.\n");
rl.setPrompt("> ");
rl.prompt();
try {
  for await (const text of rl) {
    if (text.trim() === "/quit") break;
    if (text.trim() !== "") {
      const turn = await conversations.handle({ channel: "cli", userKey, text, langHint: lang && isLang(lang) ? lang : undefined, at: new Date() });
      for (const reply of turn.replies) console.log(`\n${render(reply)}\n`);
    }
    rl.prompt();
  }
} finally {
  rl.close();
  await store.close();
}
