import { Hono, type Context } from "hono";
import { z } from "zod";
import type { Conversations } from "../core/conversation.js";
import type { Hmac } from "../core/hmac.js";
import { userKeyFor } from "../core/identity.js";
import { LANGS } from "../core/languages.js";
import type { Store } from "../core/store/store.js";
import type { Logger } from "../log.js";
import { bodyCap, constantTimeEqual, fieldProblems, problem, securityHeaders } from "./http.js";
import type { Observer } from "../metrics.js";

/**
 * The HTTP face of Brújula (Hono: the same app runs on Node and Workers): health, the channel webhooks
 * (Telegram, Twilio for WhatsApp and SMS) and a JSON channel for tests and a future web widget.
 */
export interface AppDeps {
  conversations: Conversations;
  store: Store;
  logger: Logger;
  idSecret: string;
  /** The platform's HMAC for people's keys; WebCrypto unless given (src/core/hmac.ts). */
  hmac?: Hmac | undefined;
  apiKey?: string | undefined;
  maxBodyBytes: number;
  /** Facts for /health: which embedder, how many examples, how long start-up took. */
  health: () => Record<string, unknown>;
  /** Webhook routers of the configured channels; a channel left out answers 503 (not configured). */
  channels?: { telegram?: Hono | undefined; twilio?: Hono | undefined };
  /** The caseworkers' web dashboard, mounted at /caseworker. */
  dashboard?: Hono<any> | undefined;
  /** Webhook latency goes here (metrics). */
  observer?: Pick<Observer, "webhook"> | undefined;
  /** `GET /metrics` in Prometheus' text format, behind `metricsToken` (a bearer token) when it is set. */
  metrics?: { contentType: string; render(): Promise<string> } | undefined;
  metricsToken?: string | undefined;
  /** Readiness facts beyond the store and the outbox (the embedder, its threads): false `ready` fails /ready. */
  readiness?: (() => { ready: boolean } & Record<string, unknown>) | undefined;
}

/** A webhook's route as a metric label: one of a closed set, whatever path a stranger posts to. */
export function webhookRoute(path: string): string {
  const route = path.slice("/webhooks/".length);
  return route === "telegram" || route === "twilio" || route === "twilio/status" ? route : "other";
}

/** A reply due this many seconds ago and still not sent: the outbox is lagging (reported by /ready). */
export const OUTBOX_LAG_WARNING_SECONDS = 60;

const messageSchema = z.object({
  userId: z.string().trim().min(1).max(200),
  text: z.string().max(10_000),
  lang: z.enum(LANGS).optional(),
  /** A quick-reply option id from a previous reply (what a button sends). */
  option: z.string().max(100).optional(),
});

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.use("*", async (c, next) => {
    await next();
    securityHeaders(c.res.headers);
  });
  // Every route is capped (routes with smaller needs cap lower): no body larger than MAX_BODY_BYTES is read.
  app.use(
    "*",
    bodyCap(deps.maxBodyBytes, `The body is larger than ${deps.maxBodyBytes} bytes.`),
  );

  app.onError((error, c) => {
    deps.logger.error("http.error", { path: c.req.path, error: error.name });
    return c.json(problem("internal", "Something went wrong on our side. The request was not processed."), 500);
  });
  app.notFound((c) => c.json(problem("not_found", `No route for ${c.req.method} ${c.req.path}`), 404));

  // Time to acknowledge each webhook, by route and status: the latency providers see.
  if (deps.observer) {
    const observer = deps.observer;
    app.use("/webhooks/*", async (c, next) => {
      const started = performance.now();
      await next();
      observer.webhook(webhookRoute(c.req.path), c.res.status, (performance.now() - started) / 1000);
    });
  }

  /** Liveness: cheap, and 200 while the process can answer at all. */
  app.get("/health", async (c) => {
    const storeOk = await deps.store.ping().catch(() => false);
    const outbox = storeOk ? await deps.store.outboxCounts().catch(() => null) : null;
    return c.json({ status: storeOk ? "ok" : "degraded", store: storeOk, ...deps.health(), outbox }, storeOk ? 200 : 503);
  });

  /** Readiness: the store answers, the reader is ready, and how late the outbox is (reported, not fatal). */
  app.get("/ready", async (c) => {
    const store = await deps.store.ping().catch(() => false);
    const due = store ? await deps.store.nextDue().catch(() => null) : null;
    const lagSeconds = due ? Math.max(0, Math.round((Date.now() - Date.parse(due)) / 1000)) : 0;
    const extra = deps.readiness?.() ?? { ready: true };
    const ready = store && extra.ready;
    const outbox = { lagSeconds, lagging: lagSeconds > OUTBOX_LAG_WARNING_SECONDS };
    return c.json({ status: ready ? "ready" : "not_ready", store, ...extra, ready, outbox }, ready ? 200 : 503);
  });

  if (deps.metrics) {
    const metrics = deps.metrics;
    app.get("/metrics", async (c) => {
      if (deps.metricsToken && !constantTimeEqual(c.req.header("authorization") ?? "", `Bearer ${deps.metricsToken}`)) {
        return c.json(problem("unauthorized", "A valid Authorization: Bearer <METRICS_TOKEN> header is required."), 401);
      }
      return c.body(await metrics.render(), 200, { "content-type": metrics.contentType });
    });
  }

  for (const router of Object.values(deps.channels ?? {})) if (router) app.route("/webhooks", router);
  if (deps.dashboard) app.route("/caseworker", deps.dashboard);
  const disabled = (channel: string) => (c: Context) =>
    c.json(problem("channel_disabled", `The ${channel} channel is not configured on this server (see README, Configuration).`), 503);
  if (!deps.channels?.telegram) app.post("/webhooks/telegram", disabled("Telegram"));
  if (!deps.channels?.twilio) app.post("/webhooks/twilio/*", disabled("Twilio")).post("/webhooks/twilio", disabled("Twilio"));

  app.post(
    "/api/messages",
    bodyCap(deps.maxBodyBytes, `The body is larger than ${deps.maxBodyBytes} bytes.`),
    async (c) => {
      if (deps.apiKey && !constantTimeEqual(c.req.header("x-api-key") ?? "", deps.apiKey)) {
        return c.json(problem("unauthorized", "A valid X-API-Key header is required."), 401);
      }
      if (!(c.req.header("content-type") ?? "").toLowerCase().startsWith("application/json")) {
        return c.json(problem("unsupported_media_type", "Send JSON with Content-Type: application/json."), 415);
      }
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        return c.json(problem("invalid_json", "The body is not valid JSON."), 400);
      }
      const parsed = messageSchema.safeParse(body);
      if (!parsed.success) {
        return c.json(problem("invalid_request", "Expected {userId: string, text: string, lang?: es|en|fr|ht|pt, option?: string}.", fieldProblems(parsed.error.issues)), 400);
      }
      const { userId, text, lang, option } = parsed.data;
      const started = performance.now();
      const userKey = await userKeyFor("api", userId, deps.idSecret, deps.hmac);
      const turn = await deps.conversations.handle({ channel: "api", userKey, text, langHint: lang, optionId: option, at: new Date() });
      deps.logger.debug("message.handled", { channel: "api", lang: turn.lang, replies: turn.replies.length, ms: Math.round(performance.now() - started) });
      return c.json({
        lang: turn.lang,
        replies: turn.replies.map((r) => ({ text: r.text, ...(r.options ? { options: r.options } : {}), ...(r.rate ? { rate: r.rate } : {}) })),
      });
    },
  );

  return app;
}

