import { serve } from "@hono/node-server";
import type { Server } from "node:http";
import { createNodeLogger } from "./log-node.js";
import { closingUnreadBodies, configOrExit } from "./runtime-node.js";
import { createService } from "./service.js";

/** Node entry: embedded defaults (SQLite under DATA_DIR, built-in embedder), no credentials needed. */
async function main(): Promise<void> {
  const started = performance.now();
  const config = configOrExit();
  const logger = createNodeLogger(config.LOG_LEVEL);
  const service = await createService(config, logger);
  // Without TLS or HTTP/2 options, serve() makes a plain node:http server.
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
  }) as Server;

  // SIGTERM drains within the 15 s a supervisor commonly waits before SIGKILL: no new connections; the requests
  // in flight finish (5 s at most: a client slower than that is cut off, and a provider's retry of a webhook that
  // went unanswered is recognised); then the outbox flushes what it can. A response given while stopping closes
  // its connection: Telegram and Twilio keep their connections alive and, under traffic, would otherwise keep
  // sending on them, so the server would never be done and would be killed without flushing.
  let stopping = false;
  server.prependListener("request", (_request, response) => {
    if (stopping) response.setHeader("connection", "close");
  });
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const signalled = Date.now();
    logger.info("server.stopping", { signal });
    setTimeout(() => process.exit(1), 15_000).unref();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
    server.closeAllConnections();
    await service.close(Math.max(1_000, 10_000 - (Date.now() - signalled)));
    logger.info("server.stopped", { ms: Date.now() - signalled });
    process.exit(0);
  };
  const stopOrExit = (signal: string) =>
    void stop(signal).catch((error: unknown) => {
      logger.error("server.stop_failed", { error: error instanceof Error ? error.name : typeof error });
      process.exit(1);
    });
  process.on("SIGTERM", () => stopOrExit("SIGTERM"));
  process.on("SIGINT", () => stopOrExit("SIGINT"));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
