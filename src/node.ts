import { serve } from "@hono/node-server";
import { createNodeLogger } from "./log-node.js";
import { closingUnreadBodies, configOrExit } from "./runtime-node.js";
import { createService } from "./service.js";

/** Node entry: embedded defaults (SQLite under DATA_DIR, built-in embedder), no credentials needed. */
async function main(): Promise<void> {
  const started = performance.now();
  const config = configOrExit();
  const logger = createNodeLogger(config.LOG_LEVEL);
  const service = await createService(config, logger);
  const server = serve({ fetch: closingUnreadBodies(service.app.fetch), port: config.PORT, hostname: config.HOST }, (info) => {
    logger.info("server.listening", {
      url: `http://${info.address}:${info.port}`,
      embedder: service.assistant.embedderId,
      embeddings: service.assistant.embeddings,
      thresholds: service.assistant.calibration.origin,
      examples: service.assistant.index.size,
      channels: service.channels.enabled,
      startupMs: Math.round(performance.now() - started),
    });
  });

  // SIGTERM drains: no new connections, requests in flight finish, the outbox flushes what it can in 10 s.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("server.stopping", { signal });
    setTimeout(() => process.exit(1), 15_000).unref();
    server.close(() => {
      void service.close(10_000).then(() => {
        logger.info("server.stopped", {});
        process.exit(0);
      });
    });
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
