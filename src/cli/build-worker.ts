import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { PROJECT_ROOT } from "../catalog/files.js";

/**
 * `npm run build:worker`: bundles the Worker as `wrangler deploy` would (`--dry-run`, into dist/), then prints
 * the bundle size (raw and gzip; targets: under 1 MiB gzip, the free plan allows 3 MiB) and the start-up CPU
 * time from `wrangler check startup` (target: under 100 ms). Nothing is uploaded.
 */
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };
const wrangler = join(PROJECT_ROOT, "node_modules", ".bin", "wrangler");
const run = (args: string[]) => execFileSync(wrangler, args, { cwd: PROJECT_ROOT, env, stdio: ["ignore", "pipe", "pipe"] }).toString();

run(["deploy", "--dry-run", "--outdir", "dist"]);
const bundle = readFileSync(join(PROJECT_ROOT, "dist", "worker.js"));
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
const gzip = gzipSync(bundle, { level: 9 }).length;
console.log(`Worker bundle: ${kib(bundle.length)} raw, ${kib(gzip)} gzip (target < 1024 KiB gzip; free plan limit 3072 KiB)`);

const profilePath = join(PROJECT_ROOT, "dist", "worker-startup.cpuprofile");
run(["check", "startup", "--outfile", profilePath]);
const profile = JSON.parse(readFileSync(profilePath, "utf8")) as { startTime: number; endTime: number; samples: number[]; timeDeltas: number[]; nodes: { id: number; callFrame: { functionName: string } }[] };
rmSync(profilePath, { force: true });
const idle = new Set(profile.nodes.filter((n) => ["(idle)", "(program)", "(garbage collector)"].includes(n.callFrame.functionName)).map((n) => n.id));
// CPU time: the sampled intervals spent outside idle, measured locally (Cloudflare's CPUs differ).
const busy = profile.samples.reduce((sum, node, i) => sum + (idle.has(node) ? 0 : (profile.timeDeltas[i] ?? 0)), 0) / 1000;
console.log(`Start-up: ${busy.toFixed(1)} ms CPU sampled, ${((profile.endTime - profile.startTime) / 1000).toFixed(1)} ms profiled (target < 100 ms)`);
