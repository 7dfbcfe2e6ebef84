import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createAssistant, type Assistant } from "./assistant.js";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { loadCatalogue } from "./catalog/files.js";
import type { Schedule } from "./core/availability.js";
import type { LanguageOracle } from "./core/language/detect.js";
import { loadFastTextOracle } from "./nlu/fasttext-oracle.js";

/**
 * Node wiring shared by the server and the CLIs, so `npm start`, `npm run chat` and `npm run classify` run
 * the very same engine, data and thresholds.
 */
export async function createNodeAssistant(options: { fastText?: boolean; root?: string; schedule?: Schedule | undefined } = {}): Promise<Assistant> {
  let oracle: LanguageOracle | undefined;
  if (options.fastText !== false) oracle = await loadFastTextOracle();
  return createAssistant(loadCatalogue(options.root), { oracle, schedule: options.schedule });
}

/** The secret that keys user-id hashes: from the environment, or generated once and kept in DATA_DIR. */
export function ensureIdSecret(dataDir: string, fromEnv?: string): string {
  if (fromEnv) return fromEnv;
  const path = join(dataDir, "id-secret");
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
