import { serve } from "@hono/node-server";
import { join } from "node:path";
import { ConfigError, loadConfig } from "./config.js";
import { Conversations } from "./core/conversation.js";
import { createLogger } from "./log.js";
import { createNodeAssistant, ensureIdSecret } from "./runtime-node.js";
import { SqliteStore } from "./store/sqlite/sqlite-store.js";
import { createApp } from "./web/app.js";

/** Node entry: embedded defaults (SQLite under DATA_DIR, built-in embedder), no credentials needed. */
async function main(): Promise<void> {
  const started = performance.now();
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);
  const store = new SqliteStore(join(config.DATA_DIR, "brujula.sqlite"));
  const assistant = await createNodeAssistant({ fastText: config.FASTTEXT === "on" });
  const conversations = new Conversations(assistant.engine, store);
  const app = createApp({
    conversations,
    store,
    logger,
    idSecret: ensureIdSecret(config.DATA_DIR, config.ID_HASH_SECRET),
    apiKey: config.API_KEY,
    maxBodyBytes: config.MAX_BODY_BYTES,
    health: () => ({ embedder: assistant.embedderId, examples: assistant.index.size, indexBuildMs: Math.round(assistant.buildMs) }),
  });
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    logger.info("server.listening", {
      url: `http://${info.address}:${info.port}`,
      embedder: assistant.embedderId,
      examples: assistant.index.size,
      startupMs: Math.round(performance.now() - started),
    });
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("server.stopping", { signal });
    server.close(() => {
      void store.close().then(() => process.exit(0));
    });
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
