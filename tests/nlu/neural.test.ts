import { spawn, spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadIntentFiles, PROJECT_ROOT } from "../../src/catalog/files.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/log.js";
import { createNodeAssistant, type EmbeddingSettings } from "../../src/runtime-node.js";
import { createService } from "../../src/service.js";
import { ModelError, TransformersEmbedder } from "../../src/nlu/transformers-embedder.js";
import { tempDir } from "../support/temp.js";
import { writeTinyModel, type TinyModel } from "../support/tiny-model.js";

/**
 * The neural path, offline: a tiny BERT-like model generated here (WordPiece tokenizer, ONNX graph giving
 * `last_hidden_state`) is loaded through transformers.js's real loading path — local files, remote models off,
 * `pipeline("feature-extraction")` — and matches beside the built-in embedder.
 */
const NAME = "brujula-test/tiny-bert";
/**
 * transformers.js memoizes a model's config and tokenizer by name for the life of the process, so each set of model
 * files gets its own name here (in production a process loads one model; a model replaced on disk is read at the
 * next start, which is what the cache scenario below checks, under a name of its own).
 */
const BROKEN = "brujula-test/tiny-bert-broken";
const CACHED = "brujula-test/tiny-bert-cache";

const intents = loadIntentFiles();
const words = intents.flatMap((f) => Object.values(f.examples).flat());
let model: TinyModel;

function settings(overrides: Partial<EmbeddingSettings> = {}): EmbeddingSettings {
  return {
    EMBEDDINGS: "transformers",
    EMBEDDINGS_MODEL: NAME,
    MODEL_DIR: model.dir,
    ALLOW_MODEL_DOWNLOAD: "off",
    EMBEDDINGS_WEIGHT: 0.6,
    EMBEDDINGS_PREFIX: undefined,
    DATA_DIR: tempDir("data"),
    ...overrides,
  };
}

function classify(env: Record<string, string>, lines: string[]) {
  const result = spawnSync("npm", ["run", "--silent", "classify"], {
    input: `${lines.map((text) => JSON.stringify({ text })).join("\n")}\n`,
    encoding: "utf8",
    cwd: PROJECT_ROOT,
    env: { ...process.env, FASTTEXT: "off", ...env },
    timeout: 120_000,
  });
  return { status: result.status, rows: result.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>), stderr: result.stderr };
}

beforeAll(() => {
  model = writeTinyModel(tempDir("models"), NAME, words);
});

describe("TransformersEmbedder", () => {
  it("loads a local model through the pipeline and gives one unit vector per text, batched or not", async () => {
    const embedder = await TransformersEmbedder.load({ model: NAME, modelDir: model.dir });
    expect(embedder.id).toBe(`transformers:${NAME}:fp32:mean`);
    expect(embedder.dimension).toBe(32);
    const batch = await embedder.embed(["donde pido asilo", "tengo hambre", "hola"]);
    expect(batch).toHaveLength(3);
    for (const v of batch) {
      expect(v.values).toHaveLength(32);
      expect(Math.hypot(...v.values)).toBeCloseTo(1, 5);
    }
    const [alone] = await embedder.embed(["tengo hambre"]);
    expect(Array.from(alone!.values)).toEqual(Array.from(batch[1]!.values).map((x) => expect.closeTo(x, 5)));
    const [accents] = await embedder.embed(["TENGO HÁMBRE"]);
    expect(Array.from(accents!.values)).toEqual(Array.from(batch[1]!.values).map((x) => expect.closeTo(x, 5))); // the tokenizer's normaliser ran
  });

  it("says which files are missing, and that a broken model cannot load", async () => {
    await expect(TransformersEmbedder.load({ model: "nobody/absent", modelDir: model.dir })).rejects.toThrow(
      /nobody\/absent is not in MODEL_DIR .* missing config\.json, tokenizer\.json, tokenizer_config\.json, onnx\/model\.onnx or onnx\/model_quantized\.onnx\. Run `npm run model:fetch`/,
    );
    const broken = writeTinyModel(tempDir("models"), BROKEN, ["hola"]);
    writeFileSync(join(broken.dir, BROKEN, "onnx", "model.onnx"), "this is not an onnx file");
    await expect(TransformersEmbedder.load({ model: BROKEN, modelDir: broken.dir })).rejects.toThrow(ModelError);
    await expect(TransformersEmbedder.load({ model: BROKEN, modelDir: broken.dir })).rejects.toThrow(/could not be loaded/);
  });
});

describe("hybrid matching with a neural model", () => {
  it("answers, hands off through the safety screen, and says which embedder and thresholds it runs", async () => {
    const assistant = await createNodeAssistant({ fastText: false, embeddings: settings() });
    expect(assistant.embedderId).toBe(`hybrid(transformers:${NAME}:fp32:mean+builtin-v2@0.6)`);
    expect(assistant.embeddings).toEqual({ mode: "transformers", active: "hybrid", model: NAME });
    expect(assistant.calibration.origin).toBe("estimated");
    const example = intents.find((f) => f.id === "protection.asylum_apply")!.examples.es[0]!;
    expect((await assistant.interpreter.interpret(example)).intent).toBe("protection.asylum_apply");
    const danger = await assistant.interpreter.interpret("auxilio me quieren matar");
    expect(danger.handoff).toBe(true);
    expect(danger.intent).toMatch(/^urgent\./);
  });

  it("auto: the model when it is there, the built-in embedder (with the reason) when it is absent or broken", async () => {
    const present = await createNodeAssistant({ fastText: false, embeddings: settings({ EMBEDDINGS: "auto" }) });
    expect(present.embeddings?.active).toBe("hybrid");
    const absent = await createNodeAssistant({ fastText: false, embeddings: settings({ EMBEDDINGS: "auto", EMBEDDINGS_MODEL: "nobody/absent" }) });
    expect(absent.embeddings).toMatchObject({ mode: "auto", active: "builtin", reason: expect.stringContaining("model not in") });
    expect(absent.embedderId).toBe("builtin-v2");
    const broken = writeTinyModel(tempDir("models"), BROKEN, ["hola"]);
    writeFileSync(join(broken.dir, BROKEN, "onnx", "model.onnx"), new Uint8Array(64));
    const fallback = await createNodeAssistant({ fastText: false, embeddings: settings({ EMBEDDINGS: "auto", MODEL_DIR: broken.dir, EMBEDDINGS_MODEL: BROKEN }) });
    expect(fallback.embeddings).toMatchObject({ active: "builtin", reason: expect.stringMatching(/could not be loaded/) });
    await expect(createNodeAssistant({ fastText: false, embeddings: settings({ MODEL_DIR: broken.dir, EMBEDDINGS_MODEL: BROKEN }) })).rejects.toThrow(ModelError);
  });

  it("keeps the example embeddings on disk, and embeds again when the model changed under the same name", async () => {
    const data = tempDir("data");
    const models = tempDir("models");
    writeTinyModel(models, CACHED, words, { dim: 32 });
    const first = await createNodeAssistant({ fastText: false, embeddings: settings({ MODEL_DIR: models, DATA_DIR: data, EMBEDDINGS_MODEL: CACHED }) });
    expect(first.indexSource).toBe("embedded");
    const second = await createNodeAssistant({ fastText: false, embeddings: settings({ MODEL_DIR: models, DATA_DIR: data, EMBEDDINGS_MODEL: CACHED }) });
    expect(second.indexSource).toBe("cache");
    writeTinyModel(models, CACHED, words, { dim: 32, seed: 99 }); // same shape, other weights
    const reweighted = await createNodeAssistant({ fastText: false, embeddings: settings({ MODEL_DIR: models, DATA_DIR: data, EMBEDDINGS_MODEL: CACHED }) });
    expect(reweighted.indexSource).toBe("stale-cache");
    writeTinyModel(models, CACHED, words, { dim: 48, seed: 11 }); // another dimension
    const changed = await createNodeAssistant({ fastText: false, embeddings: settings({ MODEL_DIR: models, DATA_DIR: data, EMBEDDINGS_MODEL: CACHED }) });
    expect(changed.indexSource).toBe("stale-cache");
    const example = intents.find((f) => f.id === "help.shelter")!.examples.en[0]!;
    expect((await changed.interpreter.interpret(example)).intent).toBe("help.shelter");
    const third = await createNodeAssistant({ fastText: false, embeddings: settings({ MODEL_DIR: models, DATA_DIR: data, EMBEDDINGS_MODEL: CACHED }) });
    expect(third.indexSource).toBe("cache");
    // A damaged file is noticed by its checksum and embedded again.
    const [file] = readdirSync(join(data, "embeddings"));
    const bytes = readFileSync(join(data, "embeddings", file!));
    bytes[bytes.length - 3] = bytes[bytes.length - 3]! ^ 0xff;
    writeFileSync(join(data, "embeddings", file!), bytes);
    const repaired = await createNodeAssistant({ fastText: false, embeddings: settings({ MODEL_DIR: models, DATA_DIR: data, EMBEDDINGS_MODEL: CACHED }) });
    expect(repaired.indexSource).toBe("embedded");
    expect((await repaired.interpreter.interpret(example)).intent).toBe("help.shelter");
  });

  it("serves when the cache cannot be written, and says why", async () => {
    const notADirectory = join(tempDir("data"), "file");
    writeFileSync(notADirectory, "");
    const problems: string[] = [];
    const logger = { debug() {}, info() {}, error() {}, warn: (_event: string, fields?: Record<string, unknown>) => problems.push(String(fields?.problem)) };
    const assistant = await createNodeAssistant({ fastText: false, embeddings: settings({ DATA_DIR: notADirectory }), logger });
    expect(assistant.embeddings?.active).toBe("hybrid");
    expect(problems).toEqual([expect.stringContaining("the embedding cache could not be written")]);
  });

  it("npm run classify with EMBEDDINGS=transformers classifies through the model, and fails clearly without it", () => {
    const env = { EMBEDDINGS: "transformers", EMBEDDINGS_MODEL: NAME, MODEL_DIR: model.dir, DATA_DIR: tempDir("data") };
    const texts = [intents.find((f) => f.id === "help.health")!.examples.pt[0]!, "me quieren matar"];
    const ok = classify(env, texts);
    expect(ok.status).toBe(0);
    expect(ok.rows.map((r) => r.intent)).toEqual(["help.health", expect.stringMatching(/^urgent\./)]);
    const missing = classify({ ...env, EMBEDDINGS_MODEL: "nobody/absent" }, texts);
    expect(missing.status).not.toBe(0);
    expect(missing.rows).toEqual([]);
    expect(missing.stderr).toContain("nobody/absent is not in MODEL_DIR");
  });

  it("/health says which embedder runs and whether its thresholds were measured", async () => {
    const assistant = await createNodeAssistant({ fastText: false, embeddings: settings() });
    const config = loadConfig({ DATA_DIR: tempDir("data"), INTERPRETER_THREADS: "0", FASTTEXT: "off" });
    const service = await createService(config, createLogger("silent"), { assistant, databasePath: ":memory:" });
    try {
      const health = (await (await service.app.request("/health")).json()) as Record<string, unknown>;
      expect(health.embedder).toBe(assistant.embedderId);
      expect(health.embeddings).toEqual({ mode: "transformers", active: "hybrid", model: NAME, thresholds: "estimated", index: "embedded" });
    } finally {
      await service.close();
    }
  });
});

describe("npm run calibrate", () => {
  it("measures thresholds for the model on labelled messages, records them, and start-up uses them", async () => {
    const models = tempDir("models");
    writeTinyModel(models, NAME, words);
    // A slice of the dev set keeps this quick; the real calibration uses all of it.
    const evalDir = tempDir("eval");
    for (const lang of ["es", "en", "fr", "ht", "pt"]) {
      const lines = readFileSync(join(PROJECT_ROOT, "tests", "eval", `${lang}.jsonl`), "utf8").split("\n").filter(Boolean);
      writeFileSync(join(evalDir, `${lang}.jsonl`), `${lines.filter((_, i) => i % 5 === 0).join("\n")}\n`);
    }
    const env = { EMBEDDINGS: "transformers", EMBEDDINGS_MODEL: NAME, MODEL_DIR: models, DATA_DIR: tempDir("data"), FASTTEXT: "off" };
    const result = spawnSync(process.execPath, ["--import", "tsx", join(PROJECT_ROOT, "src/cli/calibrate.ts"), "--eval", evalDir], {
      encoding: "utf8",
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...env },
      timeout: 120_000,
    });
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/^Calibration of hybrid\(transformers:brujula-test\/tiny-bert:fp32:mean\+builtin-v2@0\.6\) on 100 messages/);
    expect(result.stdout).toMatch(/handoff recall (9[89]|100)\.\d%/);
    const recorded = JSON.parse(readFileSync(join(models, "brujula-thresholds.json"), "utf8")) as Record<string, { answer: number }>;
    const id = `hybrid(transformers:${NAME}:fp32:mean+builtin-v2@0.6)`;
    expect(recorded[id]!.answer).toBeGreaterThan(0);
    const assistant = await createNodeAssistant({ fastText: false, embeddings: settings({ MODEL_DIR: models }) });
    expect(assistant.calibration).toEqual({ origin: "measured", thresholds: recorded[id] });
  });
});

describe("npm run model:fetch", () => {
  let hub: Server;
  let hubUrl: string;
  const requested: string[] = [];
  beforeAll(async () => {
    // A local stand-in for the Hugging Face hub: /<model>/resolve/main/<file>.
    hub = createServer((req, res) => {
      requested.push(req.url ?? "");
      const match = /^\/(.+?\/.+?)\/resolve\/main\/(.+)$/.exec(req.url ?? "");
      if (!match) return res.writeHead(404).end();
      readFile(join(model.dir, match[1]!, match[2]!)).then(
        (body) => res.writeHead(200, { "content-length": body.length }).end(body),
        () => res.writeHead(404).end(),
      );
    });
    await new Promise<void>((resolve) => hub.listen(0, "127.0.0.1", resolve));
    hubUrl = `http://127.0.0.1:${(hub.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => hub.close(() => resolve())));

  // Asynchronous: the fake hub answers from this very process.
  function fetchModel(env: Record<string, string>, args: string[]): Promise<{ status: number | null; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", join(PROJECT_ROOT, "src/cli/model-fetch.ts"), ...args], {
        cwd: PROJECT_ROOT,
        env: { ...process.env, ...env },
      });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.on("close", (status) => resolve({ status, stderr }));
    });
  }

  it("downloads the model into MODEL_DIR, and the server then loads it offline", async () => {
    const target = tempDir("fetched");
    const result = await fetchModel({ HF_ENDPOINT: hubUrl }, ["--model", NAME, "--dir", target, "--dtype", "fp32"]);
    expect(result.stderr).toContain("Done.");
    expect(result.status).toBe(0);
    expect(requested).toContain(`/${NAME}/resolve/main/onnx/model.onnx`);
    const assistant = await createNodeAssistant({ fastText: false, embeddings: settings({ MODEL_DIR: target, EMBEDDINGS: "auto" }) });
    expect(assistant.embeddings?.active).toBe("hybrid");
  });

  it("ALLOW_MODEL_DOWNLOAD=on: a missing model is fetched at start into MODEL_DIR, and found there offline next time", async () => {
    const target = tempDir("downloaded");
    const previous = process.env.HF_ENDPOINT;
    process.env.HF_ENDPOINT = hubUrl;
    try {
      const online = await createNodeAssistant({ fastText: false, embeddings: settings({ MODEL_DIR: target, ALLOW_MODEL_DOWNLOAD: "on" }) });
      expect(online.embeddings?.active).toBe("hybrid");
    } finally {
      if (previous === undefined) delete process.env.HF_ENDPOINT;
      else process.env.HF_ENDPOINT = previous;
    }
    const offline = await createNodeAssistant({ fastText: false, embeddings: settings({ MODEL_DIR: target, EMBEDDINGS: "auto" }) });
    expect(offline.embeddings).toEqual({ mode: "auto", active: "hybrid", model: NAME });
  });

  it("fails with a clear message when the hub cannot be reached", async () => {
    // A port nobody listens on: what an offline server sees.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await fetchModel({ HF_ENDPOINT: `http://127.0.0.1:${port}` }, ["--model", NAME, "--dir", tempDir("fetched")]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`Could not download http://127\\.0\\.0\\.1:${port}/.*config\\.json \\(ECONNREFUSED\\)\\. model:fetch needs internet access`));
  });
});
