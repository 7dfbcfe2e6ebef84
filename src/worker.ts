import { createAssistant, type Assistant, type Catalogue } from "./assistant.js";
import { Conversations } from "./core/conversation.js";
import { Engine } from "./core/engine/engine.js";
import { createTranslator } from "./core/i18n/index.js";
import { createLogger, type LogLevel } from "./log.js";
import { D1Store, type D1Like } from "./store/d1/d1-store.js";
import { createApp } from "./web/app.js";
import bundled from "./generated/catalogue.json" with { type: "json" };

/**
 * The Workers entry: the same Hono app and engine as on Node, on D1. The catalogue comes bundled
 * (`npm run build:index`, checked at build time); the assistant is built once per isolate, at its first request,
 * so the script's start-up stays small. (Work in progress, issue 9: channels, the queue-backed sender, cron and
 * the caseworker side come next.)
 */
export interface Env {
  DB: D1Like;
  /** Secret (wrangler secret put): keys the hashes people are stored under. */
  ID_HASH_SECRET?: string;
  API_KEY?: string;
  LOG_LEVEL?: string;
  MAX_BODY_BYTES?: string;
}

let assistant: Promise<Assistant> | undefined;

function assistantOnce(): Promise<Assistant> {
  assistant ??= createAssistant(bundled as unknown as Catalogue, { contentChecked: true }).catch((error: unknown) => {
    assistant = undefined;
    throw error;
  });
  return assistant;
}

const translator = createTranslator();

export default {
  async fetch(request: Request, env: Env, ctx: unknown): Promise<Response> {
    const logger = createLogger((env.LOG_LEVEL as LogLevel | undefined) ?? "info");
    if (!env.ID_HASH_SECRET || env.ID_HASH_SECRET.length < 32) {
      logger.error("worker.misconfigured", { missing: "ID_HASH_SECRET" });
      return Response.json({ error: { code: "misconfigured", message: "ID_HASH_SECRET (32+ characters) must be set: wrangler secret put ID_HASH_SECRET" } }, { status: 500 });
    }
    const brain = await assistantOnce();
    const store = new D1Store(env.DB);
    const engine = new Engine({ interpreter: brain.interpreter, content: brain.content, translator });
    const app = createApp({
      conversations: new Conversations(engine, store),
      store,
      logger,
      idSecret: env.ID_HASH_SECRET,
      apiKey: env.API_KEY,
      maxBodyBytes: Number(env.MAX_BODY_BYTES ?? 64 * 1024),
      health: () => ({ runtime: "workers", embedder: brain.embedderId, examples: brain.index.size, indexBuildMs: Math.round(brain.buildMs) }),
    });
    return app.fetch(request, env, ctx as never);
  },
};
