import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../catalog/files.js";

/**
 * `npm run dev:worker [-- wrangler dev options]`: the Worker on http://127.0.0.1:8787 under `wrangler dev`, with a
 * local D1 (the shared migrations applied first) and a local queue. The catalogue is bundled first; `.dev.vars`
 * (never committed) gets a random ID_HASH_SECRET the first time. Cron does not fire by itself locally:
 * `curl "http://127.0.0.1:8787/cdn-cgi/handler/scheduled"` runs the sweep.
 */
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };
const wrangler = join(PROJECT_ROOT, "node_modules", ".bin", "wrangler");
const step = (command: string, args: string[]) => {
  const result = spawnSync(command, args, { cwd: PROJECT_ROOT, env, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

const devVars = join(PROJECT_ROOT, ".dev.vars");
if (!existsSync(devVars)) {
  writeFileSync(devVars, `# Local secrets for wrangler dev (never committed)\nID_HASH_SECRET=${randomBytes(32).toString("hex")}\n`, { mode: 0o600 });
  console.error("Wrote .dev.vars with a random ID_HASH_SECRET for local development.");
}
step(process.execPath, ["--import", "tsx", join(PROJECT_ROOT, "src", "cli", "build-index.ts")]);
step(wrangler, ["d1", "migrations", "apply", "DB", "--local"]);
step(wrangler, ["dev", "--ip", "127.0.0.1", ...process.argv.slice(2)]);
