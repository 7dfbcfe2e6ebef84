import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Lang } from "../core/languages.js";
import type { Embedder, Embedding } from "../core/ports.js";

/**
 * A sentence-embedding model run locally with @huggingface/transformers (ONNX Runtime; nothing leaves the
 * server). Node only: the package is imported lazily, so nothing of it loads unless a model is used.
 *
 * The model is read from MODEL_DIR/<model>/ (`config.json`, `tokenizer.json`, `tokenizer_config.json`,
 * `onnx/model.onnx` or `onnx/model_quantized.onnx`) — the layout of the Hugging Face hub, which
 * `npm run model:fetch` reproduces. Remote loading stays off unless ALLOW_MODEL_DOWNLOAD=on. transformers.js
 * memoizes a model's config and tokenizer by name for the life of the process: model files replaced on disk are
 * read at the next start (and the index cache's probes notice the change).
 */

export const DEFAULT_MODEL = "Xenova/paraphrase-multilingual-MiniLM-L12-v2";

/** The files a model needs on disk; `onnx` is one of the two weights files. */
const REQUIRED = ["config.json", "tokenizer.json", "tokenizer_config.json"] as const;
const WEIGHTS = [
  { file: "onnx/model.onnx", dtype: "fp32" },
  { file: "onnx/model_quantized.onnx", dtype: "q8" },
] as const;

export interface TransformersOptions {
  model: string;
  modelDir: string;
  allowDownload?: boolean;
  /** Put before every text; default from the model's family ("query: " for e5 models). */
  prefix?: string | undefined;
}

export class ModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModelError";
  }
}

type Pooling = "mean" | "cls" | "last_token";

/** The model's files that are missing under `modelDir`, or none. */
export function missingModelFiles(modelDir: string, model: string): string[] {
  const root = join(modelDir, model);
  const missing: string[] = REQUIRED.filter((f) => !existsSync(join(root, f)));
  if (!WEIGHTS.some((w) => existsSync(join(root, w.file)))) missing.push(WEIGHTS.map((w) => w.file).join(" or "));
  return missing;
}

/**
 * Sentence-transformers models say how they pool in `1_Pooling/config.json`; mean pooling when there is none.
 * A pooling transformers.js cannot do (max, weighted mean) is refused rather than silently replaced.
 */
function poolingOf(root: string, model: string): Pooling {
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(readFileSync(join(root, "1_Pooling", "config.json"), "utf8")) as Record<string, unknown>;
  } catch {
    return "mean";
  }
  if (config.pooling_mode_cls_token === true) return "cls";
  if (config.pooling_mode_lasttoken === true) return "last_token";
  // Mean over √length differs from the mean only by a factor, which normalisation removes.
  if (config.pooling_mode_mean_tokens === true || config.pooling_mode_mean_sqrt_len_tokens === true || Object.keys(config).every((k) => !k.startsWith("pooling_mode_") || config[k] !== true)) return "mean";
  throw new ModelError(`The model ${model} pools its tokens in a way Brújula cannot reproduce (${Object.keys(config).filter((k) => config[k] === true).join(", ")})`);
}

/** e5 models are trained with "query: " / "passage: "; matching a message to examples is query-to-query. */
export function defaultPrefix(model: string): string {
  return /(^|\/)(multilingual-)?e5-/i.test(model) ? "query: " : "";
}

type Extractor = (texts: string[], options: { pooling: Pooling; normalize: boolean }) => Promise<{ dims: number[]; data: Float32Array }>;

export class TransformersEmbedder implements Embedder {
  readonly id: string;

  private constructor(
    private readonly extractor: Extractor,
    readonly model: string,
    readonly dimension: number,
    private readonly pooling: Pooling,
    private readonly prefix: string,
    dtype: string,
  ) {
    // Everything that changes the vectors is in the id: it keys the cache and the calibrated thresholds.
    this.id = `transformers:${model}:${dtype}:${pooling}${prefix ? `:${JSON.stringify(prefix)}` : ""}`;
  }

  /** Loads the model (real loading path: local files, remote models off unless allowed) and measures its dimension. */
  static async load(options: TransformersOptions): Promise<TransformersEmbedder> {
    const root = join(options.modelDir, options.model);
    const missing = missingModelFiles(options.modelDir, options.model);
    if (missing.length > 0 && !options.allowDownload) {
      throw new ModelError(
        `The model ${options.model} is not in MODEL_DIR (${root}): missing ${missing.join(", ")}. Run \`npm run model:fetch\` on a machine with internet, or set ALLOW_MODEL_DOWNLOAD=on.`,
      );
    }
    let transformers: typeof import("@huggingface/transformers");
    try {
      transformers = await import("@huggingface/transformers");
    } catch (error) {
      throw new ModelError(`@huggingface/transformers cannot run here (${(error as Error).message.split("\n")[0]}): use EMBEDDINGS=builtin`);
    }
    transformers.env.localModelPath = options.modelDir.endsWith("/") ? options.modelDir : `${options.modelDir}/`;
    transformers.env.allowLocalModels = true;
    transformers.env.allowRemoteModels = options.allowDownload === true;
    if (options.allowDownload) {
      // Downloads land where the next start looks for them; HF_ENDPOINT points at a mirror (as for model:fetch).
      transformers.env.cacheDir = options.modelDir;
      if (process.env.HF_ENDPOINT) transformers.env.remoteHost = `${process.env.HF_ENDPOINT.replace(/\/$/, "")}/`;
    }
    // The weights on disk decide; when downloading, the quantized ones first (a quarter of the size), else full.
    const local = WEIGHTS.find((w) => existsSync(join(root, w.file)))?.dtype;
    const dtypes = local ? [local] : WEIGHTS.map((w) => w.dtype).reverse();
    let extractor: Extractor | undefined;
    let failure: Error | undefined;
    let loaded = dtypes[0]!;
    for (const dtype of dtypes) {
      try {
        extractor = (await transformers.pipeline("feature-extraction", options.model, { dtype })) as unknown as Extractor;
        loaded = dtype;
        break;
      } catch (error) {
        failure = error as Error;
      }
    }
    if (!extractor) throw new ModelError(`The model ${options.model} in ${root} could not be loaded: ${failure?.message.split("\n")[0]}`);
    const pooling = poolingOf(root, options.model);
    const prefix = options.prefix ?? defaultPrefix(options.model);
    let probe: { dims: number[] };
    try {
      probe = await extractor([`${prefix}hola`], { pooling, normalize: true });
    } catch (error) {
      throw new ModelError(`The model ${options.model} does not run: ${(error as Error).message.split("\n")[0]}`);
    }
    const dimension = probe.dims.at(-1);
    if (probe.dims.length !== 2 || !dimension) throw new ModelError(`The model ${options.model} gives output of shape [${probe.dims.join(", ")}], not [texts, dimension]`);
    return new TransformersEmbedder(extractor, options.model, dimension, pooling, prefix, loaded);
  }

  /** One model call for all the texts (the index builds in batches; a message is one text). */
  async embed(texts: readonly string[], _lang?: Lang): Promise<Embedding[]> {
    if (texts.length === 0) return [];
    const output = await this.extractor(
      texts.map((t) => `${this.prefix}${t}`),
      { pooling: this.pooling, normalize: true },
    );
    const d = this.dimension;
    const indices = Uint32Array.from({ length: d }, (_, i) => i);
    return texts.map((_, row) => ({ indices, values: Float32Array.from(output.data.subarray(row * d, (row + 1) * d)) }));
  }
}
