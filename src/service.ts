import { availableParallelism } from "node:os";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Hono } from "hono";
import type { Assistant } from "./assistant.js";
import { PROJECT_ROOT } from "./catalog/files.js";
import { FileReviewSink } from "./catalog/review-file.js";
import { CaseActions, reannounceP1 } from "./channels/case-actions.js";
import type { ChannelDeps } from "./channels/deps.js";
import { caseworkerGroup, createChannels, type Channels } from "./channels/index.js";
import { OutboxSender, type SenderOptions } from "./channels/outbox-sender.js";
import { ConfigError, scheduleFrom, sendRates, type Config } from "./config.js";
import { Conversations } from "./core/conversation.js";
import { Engine } from "./core/engine/engine.js";
import { contentHealth, todayIso } from "./core/content-check.js";
import { purgeExpired } from "./retention.js";
import { createNodeMetrics } from "./metrics-node.js";
import { nodeFetch } from "./fetch-node.js";
import { nodeHmac } from "./hmac-node.js";
import { createTranslator } from "./core/i18n/index.js";
import type { Logger } from "./log.js";
import { InterpreterThreads } from "./nlu/interpreter-threads.js";
import { groupingSimilarity, questionGrouper } from "./nlu/question-groups.js";
import { OutboxThread, type Sender } from "./outbox-thread.js";
import { createNodeAssistant, databasePath, ensureIdSecret, loadDataKeys, openSqliteStore } from "./runtime-node.js";
import { keysMissing, needsReseal, resealOld } from "./rotation.js";
import type { SqliteStore } from "./store/sqlite/sqlite-store.js";
import { createApp } from "./web/app.js";
import { dashboardRoutes } from "./web/caseworker/dashboard.js";

/**
 * Brújula on Node, assembled: SQLite store, assistant, channels, outbox sender and the Hono app. The server
 * entry (src/node.ts) and the tests use this same wiring.
 */
export interface Service {
  app: Hono;
  store: SqliteStore;
  /** The outbox sender: on its own thread with a database file and SENDER_THREAD=on, in this thread otherwise. */
  sender: Sender;
  /** Threads reading messages beside the main thread, when configured. */
  threads: InterpreterThreads | undefined;
  channels: Channels;
  assistant: Assistant;
  /** Stops the sender (flushing what it can within `flushMs`) and closes the store. */
  close(flushMs?: number): Promise<void>;
}

export interface ServiceOptions {
  /** An already built assistant (tests share one). */
  assistant?: Assistant;
  /** The sender's settings (tests shorten its intervals); only data reaches a sender thread. */
  sender?: Omit<SenderOptions, "onOutcome" | "now">;
  /** ":memory:" or a file; defaults to DATA_DIR/brujula.sqlite. */
  databasePath?: string;
}

export async function createService(config: Config, logger: Logger, options: ServiceOptions = {}): Promise<Service> {
  const keys = await loadDataKeys(config);
  if (keys.source === "generated") logger.warn("keys.generated", { file: keys.file, note: "keep a copy of this file: without it the stored messages cannot be read" });
  const path = options.databasePath ?? databasePath(config);
  const store = openSqliteStore(keys, config, path);
  const inUse = await store.keysInUse();
  const missing = keysMissing(inUse, keys.ring);
  if (missing.length > 0) {
    await store.close();
    throw new ConfigError([`DATA_KEY: the database holds values sealed with data key ${missing.join(", ")}, which is neither DATA_KEY nor in DATA_KEY_PREVIOUS (or ${keys.file})`]);
  }
  logger.info("keys.loaded", { dataKey: keys.ring.current.id, source: keys.source, previous: keys.ring.keys.size - 1 });
  const schedule = scheduleFrom(config);
  const assistant = options.assistant ?? (await createNodeAssistant({ fastText: config.FASTTEXT === "on", schedule, root: config.CATALOGUE_DIR, embeddings: config, logger }));
  // Reviews past due are named; the other warnings (sources to look at again) are for `npm run content:check`.
  const overdue = assistant.contentWarnings.filter((w) => w.message.startsWith("review was due"));
  for (const w of overdue) logger.warn("content.review_overdue", { file: w.origin, problem: w.message });
  logger.info("content.checked", { answers: assistant.content.all().length, warnings: assistant.contentWarnings.length, reviewsOverdue: overdue.length });
  // A neural model already uses every core for each call, and each thread would hold its own copy in memory:
  // with one, threads are opt-in.
  const defaultThreads = assistant.embeddings?.active === "hybrid" ? 0 : Math.min(3, Math.max(0, availableParallelism() - 1));
  const threads = config.INTERPRETER_THREADS ?? defaultThreads;
  // Launched once the main thread's assistant exists, so they do not compete with it for the CPU during
  // start-up; until they are ready the main thread reads messages itself.
  const pool = threads > 0 ? InterpreterThreads.launch(threads, assistant.interpreter, { fastText: config.FASTTEXT === "on", root: config.CATALOGUE_DIR, embeddings: config, embedderId: assistant.embedderId }, logger) : undefined;
  const caseworkers = caseworkerGroup(config) !== undefined;
  const engine = new Engine({ interpreter: pool ?? assistant.interpreter, content: assistant.content, translator: createTranslator(), schedule, caseworkers, rateLimit: config.RATE_LIMIT_PER_MINUTE, retention: { days: config.RETENTION_DAYS, caseDays: config.CASE_RETENTION_DAYS } });
  const metrics = createNodeMetrics(store);
  const conversations = new Conversations(engine, store, caseworkers, metrics.observer.turn);
  const idSecret = ensureIdSecret(config.DATA_DIR, config.ID_HASH_KEY);
  let sender: Sender | undefined;
  const channelDeps: ChannelDeps = {
    conversations,
    store,
    idSecret,
    hmac: nodeHmac,
    logger,
    translator: createTranslator(),
    kick: () => sender?.kick(),
    maxBodyBytes: config.MAX_BODY_BYTES,
    fetch: nodeFetch,
  };
  const channels = createChannels(config, channelDeps, store);
  const actions = new CaseActions(store, channelDeps, caseworkers);
  const senderOptions = { leaseMs: config.OUTBOX_LEASE_SECONDS * 1000, rates: sendRates(config), ...options.sender };
  // An in-memory database cannot be opened a second time: its sender runs here. While a sender thread runs, its
  // connection does the checkpoints (SqliteStore.checkpointsHere).
  const threadBuild = { databasePath: path, ring: keys.ring, channels: config, logLevel: config.LOG_LEVEL, options: senderOptions };
  const senderThread =
    config.SENDER_THREAD === "on" && path !== ":memory:" ? new OutboxThread(threadBuild, logger, metrics.observer.sent, (running) => store.checkpointsHere(!running)) : undefined;
  sender = senderThread ?? new OutboxSender(store, channels.transports, logger, { ...senderOptions, onOutcome: metrics.observer.sent });
  for (const { channel, reason } of channels.disabled) logger.info("channel.disabled", { channel, reason });
  const app = createApp({
    conversations,
    store,
    logger,
    idSecret,
    hmac: nodeHmac,
    apiKey: config.API_KEY,
    maxBodyBytes: config.MAX_BODY_BYTES,
    channels: channels.routers,
    observer: metrics.observer,
    metrics: { contentType: metrics.registry.contentType, render: () => metrics.registry.metrics() },
    metricsToken: config.METRICS_TOKEN,
    // The main thread reads messages itself whenever no thread is ready: the reader is ready once built.
    readiness: () => ({ ready: true, embedder: assistant.embedderId, interpreterThreads: { configured: threads, running: pool?.running ?? 0 } }),
    dashboard: dashboardRoutes({ store, logger, actions, whatsappTemplate:
        config.TWILIO_WHATSAPP_TEMPLATE_SID && config.TWILIO_WHATSAPP_FROM
          ? { sid: config.TWILIO_WHATSAPP_TEMPLATE_SID, from: config.TWILIO_WHATSAPP_FROM }
          : undefined,
      trustProxy: config.TRUST_PROXY === "on",
      remoteAddress: (c) => getConnInfo(c).remote.address,
      // Grouped on the main thread with the matcher's own embedder; chosen questions go to intents/review/.
      insights: {
        groups: questionGrouper(assistant.embedder, assistant.index, groupingSimilarity(assistant.calibration)),
        review: new FileReviewSink(config.CATALOGUE_DIR ?? PROJECT_ROOT),
      },
      retentionDays: config.RETENTION_DAYS,
    }),
    health: () => ({
      embedder: assistant.embedderId,
      embeddings: { ...(assistant.embeddings ?? { mode: "builtin", active: "builtin" }), thresholds: assistant.calibration.origin, index: assistant.indexSource },
      examples: assistant.index.size,
      indexBuildMs: Math.round(assistant.buildMs),
      channels: channels.enabled,
      caseworkers,
      interpreterThreads: threads,
      // Which thread sends the replies: "main", or the sender thread's id (a new one after a restart).
      sender: senderThread ? { thread: senderThread.threadId, restarts: senderThread.restarts } : { thread: "main" },
      content: contentHealth(assistant.content, todayIso()),
      // For watching a long run (npm run bench:soak): the V8 heap is not visible from outside the process.
      memory: { rssMb: Math.round(process.memoryUsage.rss() / 1_048_576), heapUsedMb: Math.round(process.memoryUsage().heapUsed / 1_048_576) },
    }),
  });
  const running = sender;
  running.start();
  // Unclaimed P1 cases are announced again to the whole group until someone claims them.
  const reannounce = caseworkers ? setInterval(() => void reannounceP1(store, config.CASEWORKER_REANNOUNCE_MINUTES, logger, () => running.kick()), 30_000) : undefined;
  reannounce?.unref();
  // Retention: at start, then every hour. Values under a previous data key (or stored before encryption) are
  // re-encrypted at start, in the background.
  const purge = () => void purgeExpired(store, config, logger).catch((error: unknown) => logger.error("retention.failed", { error: (error as Error).name }));
  purge();
  if (needsReseal(inUse, keys.ring)) void resealOld(store, logger).catch((error: unknown) => logger.error("keys.reseal_failed", { error: (error as Error).name }));
  const retention = setInterval(purge, 3_600_000);
  retention.unref();
  return {
    app,
    store,
    sender: running,
    threads: pool,
    channels,
    assistant,
    async close(flushMs = 0) {
      if (reannounce) clearInterval(reannounce);
      clearInterval(retention);
      await running.stop(flushMs);
      await pool?.close();
      await store.close();
    },
  };
}
