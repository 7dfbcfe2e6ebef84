import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../catalog/files.js";

/**
 * `npm run dev:worker [-- wrangler dev options]`: the Worker on http://127.0.0.1:8787 under `wrangler dev`, with a
 * local D1 (the shared migrations applied first) and a local queue. The catalogue is bundled first; `.dev.vars`
 * (never committed) gets a random ID_HASH_KEY and DATA_KEY the first time. Cron does not fire by itself locally:
 * `curl "http://127.0.0.1:8787/cdn-cgi/handler/scheduled"` runs the sweep.
 */
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };
const wrangler = join(PROJECT_ROOT, "node_modules", ".bin", "wrangler");
const step = (command: string, args: string[]) => {
  const result = spawnSync(command, args, { cwd: PROJECT_ROOT, env, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

const devVars = join(PROJECT_ROOT, ".dev.vars");
const existing = existsSync(devVars) ? readFileSync(devVars, "utf8") : "# Local secrets for wrangler dev (never committed)\n";
// Each missing secret is added once (a .dev.vars from before DATA_KEY existed gets only that one).
const added = ["ID_HASH_KEY", "DATA_KEY"].filter((name) => !new RegExp(`^${name}=`, "m").test(existing));
if (added.length > 0) {
  writeFileSync(devVars, existing + added.map((name) => `${name}=${randomBytes(32).toString("hex")}\n`).join(""), { mode: 0o600 });
  console.error(`Wrote a random ${added.join(" and ")} into .dev.vars for local development.`);
}
step(process.execPath, ["--import", "tsx", join(PROJECT_ROOT, "src", "cli", "build-index.ts")]);
step(wrangler, ["d1", "migrations", "apply", "DB", "--local"]);
step(wrangler, ["dev", "--ip", "127.0.0.1", ...process.argv.slice(2)]);
