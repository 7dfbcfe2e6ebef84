import { createAssistant, type Assistant, type Catalogue } from "./assistant.js";
import { CaseActions, reannounceP1 } from "./channels/case-actions.js";
import type { ChannelDeps } from "./channels/deps.js";
import { caseworkerGroup, createChannels, createTransports } from "./channels/index.js";
import { OutboxSender } from "./channels/outbox-sender.js";
import { loadConfig, sendRates, type Config } from "./config.js";
import { Conversations } from "./core/conversation.js";
import { Engine } from "./core/engine/engine.js";
import { createTranslator } from "./core/i18n/index.js";
import type { InsightsWiring } from "./core/insights/model.js";
import { createLogger, type Logger } from "./log.js";
import { purgeExpired } from "./retention.js";
import { resealOld } from "./rotation.js";
import { keyringFrom, WebSealer } from "./store/sealing.js";
import type { D1Like } from "./store/d1/connection.js";
import { D1Store } from "./store/d1/d1-store.js";
import { groupingSimilarity, questionGrouper } from "./nlu/question-groups.js";
import { decodeSnapshot, SNAPSHOT_ASSET, type IndexSnapshot } from "./nlu/snapshot.js";
import { createApp } from "./web/app.js";
import { dashboardRoutes } from "./web/caseworker/dashboard.js";
import bundled from "./generated/catalogue.json" with { type: "json" };

/**
 * The Workers entry: the same Hono app, engine, channels and handoff as on Node, on D1 and Queues.
 *
 * - fetch: webhooks commit the turn, replies included, to D1 and put a "send" notice on the OUTBOX queue before
 *   answering (nothing is lost if anything after fails).
 * - queue: the consumer sends what is due from the D1 outbox with the very sender Node uses (claims with a
 *   lease, one reply at a time per person, retries with backoff): a notice carries no message, so a notice
 *   delivered twice cannot send a reply twice. Replies that must wait are announced again with a delay.
 * - scheduled (cron, every minute): the same sweep for anything stuck, and P1 cases re-announced to caseworkers.
 *
 * - the caseworker dashboard (/caseworker) and the caseworkers' Telegram group work as on Node.
 *
 * The catalogue is bundled (`npm run build:index`, checked at build time) and what the matcher learns from it is
 * a static asset loaded once per isolate, at its first event, so the script's start-up stays small and no
 * training happens at run time.
 */
export interface OutboxNotice {
  at: number;
}

interface QueueLike {
  send(body: OutboxNotice, options?: { delaySeconds?: number }): Promise<void>;
}

export interface Env {
  DB: D1Like;
  OUTBOX?: QueueLike;
  /** The static assets (wrangler.toml [assets]): the index snapshot. */
  ASSETS?: { fetch(request: Request): Promise<Response> };
  /** Every other setting, as on Node (wrangler.toml [vars] and secrets): see src/config.ts. */
  [name: string]: unknown;
}

interface ExecutionContextLike {
  waitUntil(promise: Promise<unknown>): void;
}

let assistant: Promise<Assistant> | undefined;

/**
 * What the built-in matcher learned, from the static assets beside the Worker (`npm run build:index`): loading it
 * takes a fraction of training at the first request. Without it (or a stale one) the Worker trains, and says so.
 */
async function loadSnapshot(env: Env, logger: Logger): Promise<IndexSnapshot | undefined> {
  if (!env.ASSETS) return undefined;
  try {
    const res = await env.ASSETS.fetch(new Request(`https://assets.invalid/${SNAPSHOT_ASSET}`));
    if (res.ok) return decodeSnapshot(await res.arrayBuffer());
    logger.warn("index.snapshot_missing", { status: res.status });
  } catch (error) {
    logger.warn("index.snapshot_unreadable", { error: (error as Error).message });
  }
  return undefined;
}

/**
 * The insights page's grouping, one per isolate (it keeps its last results). No review sink: a Worker has no
 * intents/ folder to write to, so the page's review button downloads the lines instead.
 */
let insights: { brain: Assistant; wiring: InsightsWiring } | undefined;
function insightsFor(brain: Assistant): InsightsWiring {
  if (insights?.brain !== brain) insights = { brain, wiring: { groups: questionGrouper(brain.embedder, brain.index, groupingSimilarity(brain.calibration)) } };
  return insights.wiring;
}

function assistantOnce(env: Env, logger: Logger): Promise<Assistant> {
  assistant ??= loadSnapshot(env, logger)
    .then((snapshot) => createAssistant(bundled as unknown as Catalogue, { contentChecked: true, snapshot }))
    .catch((error: unknown) => {
      assistant = undefined;
      throw error;
    });
  return assistant;
}

const translator = createTranslator();
/** Queues accept delays up to 12 hours; the cron sweep covers anything later. */
const MAX_DELAY_SECONDS = 12 * 60 * 60;

class Misconfigured extends Error {}

function configOf(env: Env): Config {
  const vars = Object.fromEntries(Object.entries(env).filter(([, v]) => typeof v === "string")) as Record<string, string>;
  const config = loadConfig(vars);
  if (!config.ID_HASH_KEY) throw new Misconfigured("ID_HASH_KEY (32+ characters) must be set: wrangler secret put ID_HASH_KEY");
  if (!config.DATA_KEY) throw new Misconfigured("DATA_KEY (32 bytes, openssl rand -hex 32) must be set: wrangler secret put DATA_KEY");
  return config;
}

/** The D1 store, sealing with DATA_KEY (and reading DATA_KEY_PREVIOUS); the keyring is derived once per isolate. */
let sealer: { keys: string; sealer: Promise<WebSealer> } | undefined;
function storeFor(env: Env, config: Config): Promise<D1Store> {
  const keys = `${config.DATA_KEY}|${config.DATA_KEY_PREVIOUS ?? ""}`;
  if (sealer?.keys !== keys) sealer = { keys, sealer: keyringFrom(config.DATA_KEY!, config.DATA_KEY_PREVIOUS).then((ring) => new WebSealer(ring)) };
  return sealer.sealer.then((s) => new D1Store(env.DB, s));
}

/** Everything an event needs, built per event from the bindings (cheap: the assistant is shared by the isolate). */
async function wire(env: Env, logger: Logger, kick: () => void) {
  const config = configOf(env);
  const brain = await assistantOnce(env, logger);
  const store = await storeFor(env, config);
  const caseworkers = caseworkerGroup(config) !== undefined;
  const engine = new Engine({ interpreter: brain.interpreter, content: brain.content, translator, caseworkers, rateLimit: config.RATE_LIMIT_PER_MINUTE, retention: { days: config.RETENTION_DAYS, caseDays: config.CASE_RETENTION_DAYS } });
  const conversations = new Conversations(engine, store, caseworkers);
  const deps: ChannelDeps = { conversations, store, idSecret: config.ID_HASH_KEY!, logger, translator, kick, maxBodyBytes: config.MAX_BODY_BYTES };
  return { config, brain, store, conversations, deps, caseworkers };
}

/**
 * Sends what is due, then announces the next due reply (if any) to the queue with a delay. Needs only the store
 * and the transports: no assistant is built for it.
 */
async function sendDue(env: Env, config: Config, store: D1Store, logger: Logger): Promise<void> {
  await new OutboxSender(store, createTransports(config, store), logger, { leaseMs: config.OUTBOX_LEASE_SECONDS * 1000, rates: sendRates(config) }).drain();
  const next = await store.nextDue();
  if (next && env.OUTBOX) {
    const delaySeconds = Math.min(MAX_DELAY_SECONDS, Math.max(1, Math.ceil((Date.parse(next) - Date.now()) / 1000)));
    await env.OUTBOX.send({ at: Date.now() }, { delaySeconds });
  }
}

function loggerFor(env: Env): Logger {
  const level = typeof env.LOG_LEVEL === "string" ? env.LOG_LEVEL : "info";
  return createLogger(level as Parameters<typeof createLogger>[0]);
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContextLike): Promise<Response> {
    const logger = loggerFor(env);
    // The notice is on the queue before the webhook is answered (the replies themselves are already in D1); if
    // the queue refuses it, the cron sweep sends them within a minute.
    const notices: Promise<void>[] = [];
    const notify = () => {
      if (env.OUTBOX) notices.push(env.OUTBOX.send({ at: Date.now() }).catch(() => logger.warn("outbox.notice_failed", {})));
    };
    let wired: Awaited<ReturnType<typeof wire>>;
    try {
      wired = await wire(env, logger, notify);
    } catch (error) {
      if (!(error instanceof Misconfigured) && (error as Error).name !== "ConfigError") throw error;
      logger.error("worker.misconfigured", { problem: (error as Error).message });
      return Response.json({ error: { code: "misconfigured", message: (error as Error).message } }, { status: 500 });
    }
    const { config, brain, store, conversations, deps, caseworkers } = wired;
    const channels = createChannels(config, deps, store);
    const app = createApp({
      conversations,
      store,
      logger,
      idSecret: deps.idSecret,
      apiKey: config.API_KEY,
      maxBodyBytes: config.MAX_BODY_BYTES,
      channels: channels.routers,
      dashboard: dashboardRoutes({
        store,
        logger,
        actions: new CaseActions(store, deps, caseworkers),
        whatsappTemplate:
          config.TWILIO_WHATSAPP_TEMPLATE_SID && config.TWILIO_WHATSAPP_FROM ? { sid: config.TWILIO_WHATSAPP_TEMPLATE_SID, from: config.TWILIO_WHATSAPP_FROM } : undefined,
        // Cloudflare puts the client's address in this header; it cannot be forged through Cloudflare.
        remoteAddress: (c) => c.req.header("cf-connecting-ip"),
        insights: insightsFor(brain),
        retentionDays: config.RETENTION_DAYS,
      }),
      health: () => ({
        runtime: "workers",
        embedder: brain.embedderId,
        examples: brain.index.size,
        indexBuildMs: Math.round(brain.buildMs),
        index: brain.indexSource,
        channels: channels.enabled,
        caseworkers,
      }),
    });
    const response = await app.fetch(request, env, ctx as never);
    await Promise.all(notices);
    return response;
  },

  /** The OUTBOX consumer: notices say "something may be due"; the D1 outbox says what. */
  async queue(batch: { messages: readonly unknown[]; ackAll(): void }, env: Env): Promise<void> {
    const config = configOf(env);
    await sendDue(env, config, await storeFor(env, config), loggerFor(env));
    batch.ackAll();
  },

  /** Every minute: anything stuck (a lost notice, an expired lease), P1 cases nobody has claimed; hourly, retention. */
  async scheduled(controller: { scheduledTime?: number }, env: Env): Promise<void> {
    const logger = loggerFor(env);
    const config = configOf(env);
    const store = await storeFor(env, config);
    if (caseworkerGroup(config)) await reannounceP1(store, config.CASEWORKER_REANNOUNCE_MINUTES, logger, () => undefined);
    // Retention once an hour (the cron fires every minute).
    const at = new Date(controller.scheduledTime ?? Date.now());
    if (at.getUTCMinutes() === 0) await purgeExpired(store, config, logger, at);
    // Values under a previous data key, or stored before encryption, are re-encrypted a batch at a time: every
    // minute while DATA_KEY_PREVIOUS is set, hourly otherwise. A value no key opens is logged, never a reason to
    // stop sending.
    if (config.DATA_KEY_PREVIOUS || at.getUTCMinutes() === 0) {
      await resealOld(store, logger, { batch: 200, maxBatches: 5 }).catch((error: unknown) => logger.error("keys.reseal_failed", { error: (error as Error).message }));
    }
    await sendDue(env, config, store, logger);
  },
};
