import { createInterface } from "node:readline";
import { configOrExit, loadDataKeys, openSqliteStore } from "../runtime-node.js";
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "../web/caseworker/passwords.js";
import { flagString, parseFlags } from "./args.js";

/**
 * `npm run caseworker:add -- --username ana --role supervisor --lang es` creates a dashboard account; the
 * password is read from standard input (never from the command line, which shell histories keep). With `--sql`
 * it writes nothing and prints the INSERT for D1 instead (`wrangler d1 execute DB --remote --command "…"`).
 */
async function main(): Promise<number> {
  const flags = parseFlags(process.argv.slice(2));
  const username = flagString(flags, "username")?.trim();
  const role = flagString(flags, "role") ?? "caseworker";
  const lang = flagString(flags, "lang") ?? "es";
  if (!username || !/^[\w.-]{2,40}$/.test(username)) {
    console.error("--username is required: 2-40 letters, digits, dots, dashes or underscores");
    return 2;
  }
  if (role !== "caseworker" && role !== "supervisor") {
    console.error("--role must be caseworker or supervisor");
    return 2;
  }
  if (lang !== "es" && lang !== "en" && lang !== "fr") {
    console.error("--lang must be es, en or fr");
    return 2;
  }
  const password = await readPassword();
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    console.error(`The password must have ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters.`);
    return 2;
  }
  if (flags.has("sql")) {
    // For D1 (Workers): the statement to run with `wrangler d1 execute DB --remote --command "…"`.
    const quote = (v: string) => `'${v.replace(/'/g, "''")}'`;
    const values = [username, await hashPassword(password), role, lang, new Date().toISOString()].map(quote).join(", ");
    console.log(`INSERT INTO caseworkers (username, password_hash, role, lang, created_at) VALUES (${values});`);
    return 0;
  }
  const config = configOrExit();
  const store = openSqliteStore(await loadDataKeys(config), config);
  try {
    if (await store.findCaseworker(username)) {
      console.error(`The account "${username}" already exists.`);
      return 1;
    }
    await store.addCaseworker({ username, passwordHash: await hashPassword(password), role, lang }, new Date().toISOString());
    console.log(`Account "${username}" (${role}, ${lang}) created. Sign in at /caseworker.`);
    return 0;
  } finally {
    await store.close();
  }
}

/** The first line of standard input: typed at a prompt, or piped (`printf '%s\n' "$PASSWORD" | npm run …`). */
async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await new Promise<string>((resolve) => rl.question("Password (then Enter): ", resolve));
    rl.close();
    return answer;
  }
  let text = "";
  for await (const chunk of process.stdin) text += String(chunk);
  return text.split(/\r?\n/)[0] ?? "";
}

main().then((code) => process.exit(code));
