import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAssistant } from "../assistant.js";
import { loadCatalogue, PROJECT_ROOT } from "../catalog/files.js";
import { createNodeAssistant } from "../runtime-node.js";
import { exitQuietlyOnClosedPipe, parseFlags } from "./args.js";
import { loadEvalSet } from "./evaluation.js";

/**
 * `npm run bench [-- --messages 20000]`: index build time, classify throughput and latency (p50/p99 per
 * message), memory, and the server's start-up time to a healthy /health. Figures only; no assertions.
 */
exitQuietlyOnClosedPipe();
const flags = parseFlags(process.argv.slice(2));
const count = Number(flags.get("messages") ?? 20_000);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const ms = (value: number) => `${value.toFixed(3)} ms`;

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function serverStartup(): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), "brujula-bench-"));
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", join(PROJECT_ROOT, "src/node.ts")], {
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: "error" },
    stdio: "ignore",
  });
  try {
    for (let attempt = 0; attempt < 300; attempt++) {
      const ok = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false);
      if (ok) return performance.now() - started;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error("the server did not become healthy within 6 s");
  } finally {
    child.kill("SIGTERM");
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const loadStarted = performance.now();
const catalogue = loadCatalogue();
const loadMs = performance.now() - loadStarted;
const builtinOnly = await createAssistant(catalogue);
const assistant = await createNodeAssistant();
const texts = loadEvalSet(join(PROJECT_ROOT, "tests", "eval")).map((i) => i.text);

for (const text of texts.slice(0, 200)) await assistant.interpreter.interpret(text); // warm-up
const latencies = new Float64Array(count);
const started = performance.now();
for (let i = 0; i < count; i++) {
  const t0 = performance.now();
  await assistant.interpreter.interpret(texts[i % texts.length]!);
  latencies[i] = performance.now() - t0;
}
const elapsed = performance.now() - started;
latencies.sort();
const memory = process.memoryUsage();

console.log(`Brújula benchmark (${assistant.embedderId}, ${assistant.index.size} examples, ${count} messages from the dev eval set)`);
console.log(`  catalogue load (intents + content)   ${ms(loadMs)}`);
console.log(`  index + language model build         ${ms(builtinOnly.buildMs)}`);
console.log(`  classify throughput                  ${Math.round(count / (elapsed / 1000))} messages/s (one core)`);
console.log(`  classify latency p50 / p99 / max     ${ms(percentile(latencies, 50))} / ${ms(percentile(latencies, 99))} / ${ms(latencies[count - 1]!)}`);
console.log(`  memory rss / heap used               ${mb(memory.rss)} / ${mb(memory.heapUsed)}`);
if (!flags.has("no-server")) console.log(`  server start-up to healthy /health   ${ms(await serverStartup())}`);
