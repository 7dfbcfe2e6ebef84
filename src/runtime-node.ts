import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createAssistant, type Assistant, type EmbeddingChoice } from "./assistant.js";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { loadCatalogue } from "./catalog/files.js";
import type { Schedule } from "./core/availability.js";
import type { LanguageOracle } from "./core/language/detect.js";
import type { MatchThresholds } from "./core/matcher.js";
import { FileIndexCache } from "./nlu/embedding-cache.js";
import { missingModelFiles, ModelError, TransformersEmbedder } from "./nlu/transformers-embedder.js";
import { loadFastTextOracle } from "./nlu/fasttext-oracle.js";
import "./web/caseworker/scrypt-node.js";
import type { Logger } from "./log.js";
import { keyringFrom, SealError, type Keyring } from "./store/sealing.js";
import { NodeSealer } from "./store/sqlite/node-sealer.js";
import { SqliteStore } from "./store/sqlite/sqlite-store.js";

/**
 * Node wiring shared by the server and the CLIs, so `npm start`, `npm run chat` and `npm run classify` run
 * the very same engine, data, embedder and thresholds.
 */

/** The embedding settings of the configuration (the environment's, by default). */
export type EmbeddingSettings = Pick<Config, "EMBEDDINGS" | "EMBEDDINGS_MODEL" | "MODEL_DIR" | "ALLOW_MODEL_DOWNLOAD" | "EMBEDDINGS_WEIGHT" | "EMBEDDINGS_PREFIX" | "DATA_DIR">;

export interface NodeAssistantOptions {
  fastText?: boolean;
  root?: string | undefined;
  schedule?: Schedule | undefined;
  embeddings?: EmbeddingSettings | undefined;
  /** Where a cache that cannot be written is reported (stderr otherwise). */
  logger?: Logger | undefined;
}

export const THRESHOLDS_FILE = "brujula-thresholds.json";

function measuredThresholds(modelDir: string): Record<string, MatchThresholds> {
  try {
    return JSON.parse(readFileSync(join(modelDir, THRESHOLDS_FILE), "utf8")) as Record<string, MatchThresholds>;
  } catch {
    return {};
  }
}

/** Loads the neural model when the settings ask for it; in `auto` mode a missing or broken model means the built-in. */
async function chooseNeural(settings: EmbeddingSettings): Promise<{ neural?: TransformersEmbedder; choice: EmbeddingChoice }> {
  const mode = settings.EMBEDDINGS;
  if (mode === "builtin") return { choice: { mode, active: "builtin" } };
  const missing = missingModelFiles(settings.MODEL_DIR, settings.EMBEDDINGS_MODEL);
  if (mode === "auto" && missing.length > 0 && settings.ALLOW_MODEL_DOWNLOAD !== "on") {
    return { choice: { mode, active: "builtin", model: settings.EMBEDDINGS_MODEL, reason: `model not in ${settings.MODEL_DIR}` } };
  }
  try {
    const neural = await TransformersEmbedder.load({
      model: settings.EMBEDDINGS_MODEL,
      modelDir: settings.MODEL_DIR,
      allowDownload: settings.ALLOW_MODEL_DOWNLOAD === "on",
      prefix: settings.EMBEDDINGS_PREFIX,
    });
    return { neural, choice: { mode, active: "hybrid", model: settings.EMBEDDINGS_MODEL } };
  } catch (error) {
    if (mode === "transformers" || !(error instanceof ModelError)) throw error;
    return { choice: { mode, active: "builtin", model: settings.EMBEDDINGS_MODEL, reason: error.message } };
  }
}

export async function createNodeAssistant(options: NodeAssistantOptions = {}): Promise<Assistant> {
  let oracle: LanguageOracle | undefined;
  if (options.fastText !== false) oracle = await loadFastTextOracle();
  const settings = options.embeddings ?? configOrExit();
  const { neural, choice } = await chooseNeural(settings);
  const assistant = await createAssistant(loadCatalogue(options.root), {
    oracle,
    schedule: options.schedule,
    neural,
    neuralWeight: settings.EMBEDDINGS_WEIGHT,
    indexCache: neural
      ? new FileIndexCache(join(settings.DATA_DIR, "embeddings"), (problem) =>
          options.logger ? options.logger.warn("embeddings.cache_unwritable", { problem }) : console.error(problem),
        )
      : undefined,
    measuredThresholds: measuredThresholds(settings.MODEL_DIR),
  });
  return { ...assistant, embeddings: choice };
}

export interface DataKeys {
  ring: Keyring;
  /** Where the current key came from: the environment, or the key file (`generated` on this start). */
  source: "DATA_KEY" | "file" | "generated";
  file: string;
}

export const DATA_KEY_FILE = "data-key";

/**
 * The data keys: DATA_KEY (and DATA_KEY_PREVIOUS) from the environment, or the key file DATA_DIR/data-key (its
 * first line the current key, the others previous ones), generated with owner-only permissions on first start.
 * The file sits beside the database, never inside it: a copy of the database alone opens nothing.
 */
export async function loadDataKeys(config: Pick<Config, "DATA_DIR" | "DATA_KEY" | "DATA_KEY_PREVIOUS">): Promise<DataKeys> {
  const file = join(config.DATA_DIR, DATA_KEY_FILE);
  if (config.DATA_KEY) return { ring: await keyringFrom(config.DATA_KEY, config.DATA_KEY_PREVIOUS), source: "DATA_KEY", file };
  let source: DataKeys["source"] = "file";
  if (!existsSync(file)) {
    mkdirSync(config.DATA_DIR, { recursive: true });
    // "wx": two processes starting at once cannot both write a key.
    try {
      writeFileSync(file, `${randomBytes(32).toString("hex")}\n`, { mode: 0o600, flag: "wx" });
      source = "generated";
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  try {
    return { ring: await keyringFrom(readFileSync(file, "utf8"), config.DATA_KEY_PREVIOUS), source, file };
  } catch (error) {
    if (error instanceof SealError) throw new ConfigError([`${file}: ${error.message}`]);
    throw error;
  }
}

export const DATABASE_FILE = "brujula.sqlite";
export const ID_SECRET_FILE = "id-secret";

/** The SQLite file of the Node service: DATA_DIR/brujula.sqlite. */
export function databasePath(config: Pick<Config, "DATA_DIR">): string {
  return join(config.DATA_DIR, DATABASE_FILE);
}

/** The SQLite store (DATA_DIR/brujula.sqlite unless `path`), sealing with the data keys. */
export function openSqliteStore(keys: DataKeys, config: Pick<Config, "DATA_DIR">, path?: string): SqliteStore {
  return new SqliteStore(path ?? databasePath(config), new NodeSealer(keys.ring));
}

export interface SecretLocation {
  /** The environment variable, or the file in DATA_DIR. */
  where: string;
  present: boolean;
}

/**
 * Where the two secrets kept outside the database come from, and whether they are there, generating neither:
 * a backup holds neither, and a restored database is only of use with the very same ones.
 */
export function secretLocations(config: Pick<Config, "DATA_DIR" | "DATA_KEY" | "ID_HASH_KEY">): { dataKey: SecretLocation; idSecret: SecretLocation } {
  const at = (variable: string | undefined, name: string, file: string): SecretLocation =>
    variable ? { where: name, present: true } : { where: join(config.DATA_DIR, file), present: existsSync(join(config.DATA_DIR, file)) };
  return { dataKey: at(config.DATA_KEY, "DATA_KEY", DATA_KEY_FILE), idSecret: at(config.ID_HASH_KEY, "ID_HASH_KEY", ID_SECRET_FILE) };
}

/** The secret that keys user-id hashes: from the environment, or generated once and kept in DATA_DIR. */
export function ensureIdSecret(dataDir: string, fromEnv?: string): string {
  if (fromEnv) return fromEnv;
  const path = join(dataDir, ID_SECRET_FILE);
  if (existsSync(path)) return readFileSync(path, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("hex");
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** The configuration from the environment; on a bad variable, its message and exit code 2 (for entry points). */
export function configOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}

/**
 * A request body refused unread (over MAX_BODY_BYTES, wrong secret, wrong type) is still on the connection. Node
 * drains it for a moment, then cuts the connection, under the client's next request if the client reused it
 * (behind a reverse proxy's keep-alive pool, someone else's request would fail). Answering such requests with
 * "Connection: close" makes the client open a new connection instead. Found by `npm run fuzz`.
 */
export function closingUnreadBodies<Env>(fetch: (request: Request, env: Env) => Response | Promise<Response>) {
  return async (request: Request, env: Env): Promise<Response> => {
    const response = await fetch(request, env);
    // Every route reads the body of a request it accepts; only a refusal may leave one unread. Looking at
    // `request.body` makes the adapter build a whole Request, so accepted requests are not looked at.
    if (response.status < 400 || request.body === null || (request.bodyUsed && response.status !== 413)) return response;
    try {
      response.headers.set("connection", "close");
      return response;
    } catch {
      // Immutable headers (a response passed through from fetch): the same response with a copy of them.
      const headers = new Headers(response.headers);
      headers.set("connection", "close");
      return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
    }
  };
}
