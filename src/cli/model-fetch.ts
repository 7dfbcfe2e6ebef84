import { createWriteStream, mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { loadConfig } from "../config.js";
import { flagString, parseFlags } from "./args.js";

/**
 * `npm run model:fetch [-- --model NAME] [--dir MODEL_DIR] [--dtype q8|fp32]`: downloads a sentence-embedding
 * model from the Hugging Face hub (or HF_ENDPOINT) into MODEL_DIR, in the layout the server loads offline. Run it
 * where there is internet, then copy MODEL_DIR to the offline server. Each file is written beside its final name
 * and renamed when complete, so an interrupted download never leaves a half file that looks whole.
 */

interface Wanted {
  file: string;
  required: boolean;
}

function files(dtype: string): Wanted[] {
  return [
    { file: "config.json", required: true },
    { file: "tokenizer.json", required: true },
    { file: "tokenizer_config.json", required: true },
    { file: "special_tokens_map.json", required: false },
    { file: "1_Pooling/config.json", required: false },
    { file: dtype === "fp32" ? "onnx/model.onnx" : "onnx/model_quantized.onnx", required: true },
  ];
}

function bar(done: number, total: number | null): string {
  const mb = (n: number) => (n / 1_048_576).toFixed(1);
  if (!total) return `${mb(done)} MB`;
  const width = 30;
  const filled = Math.round((done / total) * width);
  return `[${"#".repeat(filled)}${" ".repeat(width - filled)}] ${Math.floor((done / total) * 100)}% ${mb(done)}/${mb(total)} MB`;
}

/** The hub answered, but not with the file: not a network problem, and said as such. */
class HttpStatusError extends Error {
  constructor(url: string, status: number) {
    super(
      status === 401 || status === 403
        ? `${url}: HTTP ${status} — the model is gated or private; accept its licence on the hub and set HF_TOKEN, or choose another model`
        : `${url}: HTTP ${status} from the hub`,
    );
  }
}

async function download(url: string, target: string, label: string): Promise<"ok" | "absent"> {
  const token = process.env.HF_TOKEN;
  const response = await fetch(url, { redirect: "follow", headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (response.status === 404) return "absent";
  if (!response.ok || !response.body) throw new HttpStatusError(url, response.status);
  const total = Number(response.headers.get("content-length")) || null;
  mkdirSync(dirname(target), { recursive: true });
  const partial = `${target}.part`;
  const out = createWriteStream(partial);
  let done = 0;
  let shown = 0;
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      done += chunk.length;
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
      if (process.stderr.isTTY && Date.now() - shown > 100) {
        shown = Date.now();
        process.stderr.write(`\r  ${label} ${bar(done, total)}`);
      }
    }
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  } catch (error) {
    out.destroy();
    rmSync(partial, { force: true });
    throw error;
  }
  renameSync(partial, target);
  process.stderr.write(`${process.stderr.isTTY ? "\r" : ""}  ${label} ${bar(done, total ?? done)}\n`);
  return "ok";
}

/** The system error under fetch's "fetch failed" (ECONNREFUSED, ENOTFOUND, ETIMEDOUT…), wherever undici put it. */
function networkCode(error: unknown, depth = 0): string | undefined {
  if (!error || typeof error !== "object" || depth > 4) return undefined;
  const e = error as { code?: unknown; cause?: unknown; errors?: unknown[] };
  if (typeof e.code === "string" && /^E[A-Z]+$/.test(e.code)) return e.code;
  return networkCode(e.cause, depth + 1) ?? e.errors?.map((x) => networkCode(x, depth + 1)).find(Boolean);
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const config = loadConfig(process.env);
  const model = flagString(flags, "model") ?? config.EMBEDDINGS_MODEL;
  const dir = flagString(flags, "dir") ?? config.MODEL_DIR;
  const dtype = flagString(flags, "dtype") ?? "q8";
  if (dtype !== "q8" && dtype !== "fp32") throw new Error(`--dtype must be q8 or fp32, not ${dtype}`);
  const host = (process.env.HF_ENDPOINT ?? "https://huggingface.co").replace(/\/$/, "");
  console.error(`Fetching ${model} (${dtype}) from ${host} into ${join(dir, model)}`);
  for (const { file, required } of files(dtype)) {
    const url = `${host}/${model}/resolve/main/${file}`;
    let result: "ok" | "absent";
    try {
      result = await download(url, join(dir, model, file), file);
    } catch (error) {
      if (error instanceof HttpStatusError) throw error;
      const cause = networkCode(error) ?? ((error as { cause?: Error }).cause?.message || (error as Error).message);
      throw new Error(
        `Could not download ${url} (${cause}). model:fetch needs internet access to ${host}; on an offline server, run it on a connected machine and copy ${dir} over.`,
      );
    }
    if (result === "absent" && required) throw new Error(`${model} has no ${file} on ${host}: is the name right, and does the model have ONNX weights?`);
  }
  console.error(`Done. Start with EMBEDDINGS=transformers EMBEDDINGS_MODEL=${model} MODEL_DIR=${dir}, then run npm run calibrate.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
