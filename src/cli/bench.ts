import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Assistant } from "../assistant.js";
import { loadCatalogue, PROJECT_ROOT } from "../catalog/files.js";
import { missingModelFiles } from "../nlu/transformers-embedder.js";
import { configOrExit, createNodeAssistant } from "../runtime-node.js";
import { exitQuietlyOnClosedPipe, parseFlags } from "./args.js";
import { percentile } from "./figures.js";
import { loadEvalSet } from "./evaluation.js";

/**
 * `npm run bench [-- --messages 20000] [--neural-messages 2000] [--no-server]`: for the built-in embedder and,
 * when the configured model is in MODEL_DIR, the hybrid neural one side by side: index build time (and from the
 * embedding cache), classify throughput and latency (p50/p99 per message), memory; then the server's start-up
 * time to a healthy /health. Figures only; no assertions.
 */
exitQuietlyOnClosedPipe();
const flags = parseFlags(process.argv.slice(2));
const count = Number(flags.get("messages") ?? 20_000);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const ms = (value: number) => `${value.toFixed(3)} ms`;

async function serverStartup(): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), "brujula-bench-"));
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", join(PROJECT_ROOT, "src/node.ts")], {
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: "error" },
    stdio: "ignore",
  });
  try {
    // A neural model's first start embeds every example: allow for it (--startup-timeout seconds).
    const attempts = (Number(flags.get("startup-timeout") ?? 120) * 1000) / 20;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const ok = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false);
      if (ok) return performance.now() - started;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error("the server did not become healthy in time (--startup-timeout)");
  } finally {
    child.kill("SIGTERM");
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const loadStarted = performance.now();
loadCatalogue();
const loadMs = performance.now() - loadStarted;
const texts = loadEvalSet(join(PROJECT_ROOT, "tests", "eval")).map((i) => i.text);
const config = configOrExit();

interface Figures {
  label: string;
  buildMs: number;
  cachedBuildMs?: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  rssMb: number;
  messages: number;
}

async function measure(label: string, assistant: Assistant, messages: number, rssBefore: number): Promise<Figures> {
  for (const text of texts.slice(0, 100)) await assistant.interpreter.interpret(text); // warm-up
  const latencies = new Float64Array(messages);
  const started = performance.now();
  for (let i = 0; i < messages; i++) {
    const t0 = performance.now();
    await assistant.interpreter.interpret(texts[i % texts.length]!);
    latencies[i] = performance.now() - t0;
  }
  const elapsed = performance.now() - started;
  latencies.sort();
  return {
    label,
    buildMs: assistant.buildMs,
    perSecond: Math.round(messages / (elapsed / 1000)),
    p50: percentile(latencies, 50)!,
    p99: percentile(latencies, 99)!,
    max: latencies[messages - 1]!,
    rssMb: (process.memoryUsage().rss - rssBefore) / 1024 / 1024,
    messages,
  };
}

const rows: Figures[] = [];
let rss = process.memoryUsage().rss;
const builtin = await createNodeAssistant({ embeddings: { ...config, EMBEDDINGS: "builtin" } });
rows.push(await measure("builtin", builtin, count, rss));

// The neural path, when the configuration's model is in MODEL_DIR: first build embeds every example, the second
// reads them from the cache.
let neuralNote = "";
const missing = missingModelFiles(config.MODEL_DIR, config.EMBEDDINGS_MODEL);
if (missing.length === 0 && config.EMBEDDINGS !== "builtin") {
  const cacheDir = mkdtempSync(join(tmpdir(), "brujula-bench-cache-"));
  try {
    rss = process.memoryUsage().rss;
    const settings = { ...config, EMBEDDINGS: "transformers" as const, DATA_DIR: cacheDir };
    const neural = await createNodeAssistant({ embeddings: settings });
    const figures = await measure(`hybrid ${config.EMBEDDINGS_MODEL}`, neural, Math.min(count, Number(flags.get("neural-messages") ?? 2_000)), rss);
    // Measured after the memory figure, so that it counts one model.
    figures.cachedBuildMs = (await createNodeAssistant({ embeddings: settings })).buildMs;
    rows.push(figures);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
} else {
  neuralNote = `  neural: not measured — ${config.EMBEDDINGS_MODEL} is not in ${config.MODEL_DIR} (npm run model:fetch, or EMBEDDINGS_MODEL / MODEL_DIR)`;
}

console.log(`Brújula benchmark (${builtin.index.size} examples; messages from the dev eval set, one after another on one thread)`);
console.log(`  catalogue load (intents + content)   ${ms(loadMs)}`);
const pad = (v: string, n: number) => v.padEnd(n);
console.log(`\n  ${pad("embedder", 48)}${pad("build", 14)}${pad("cached build", 14)}${pad("messages/s", 12)}${pad("p50 / p99 / max (ms)", 26)}memory`);
for (const r of rows) {
  console.log(
    `  ${pad(r.label, 48)}${pad(`${Math.round(r.buildMs)} ms`, 14)}${pad(r.cachedBuildMs === undefined ? "—" : `${Math.round(r.cachedBuildMs)} ms`, 14)}${pad(String(r.perSecond), 12)}${pad(`${r.p50.toFixed(2)} / ${r.p99.toFixed(2)} / ${r.max.toFixed(1)}`, 26)}+${r.rssMb.toFixed(0)} MB rss`,
  );
}
if (neuralNote) console.log(neuralNote);
const memory = process.memoryUsage();
console.log(`\n  process memory rss / heap used        ${mb(memory.rss)} / ${mb(memory.heapUsed)}`);
if (!flags.has("no-server")) console.log(`  server start-up to healthy /health   ${ms(await serverStartup())}`);
