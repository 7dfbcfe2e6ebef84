import { z } from "zod";
import { parseSchedule, ScheduleError, type Schedule } from "./core/availability.js";
import type { SendRate } from "./channels/send-pacing.js";
import type { Channel } from "./core/ports.js";
import { DATA_KEY_FORMAT, parseDataKey } from "./store/sealing.js";

/**
 * Configuration from environment variables, validated once at start. Every variable has a safe default so
 * `npm start` works with no credentials; a bad value stops the start with a message naming the variable.
 */
const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATA_DIR: z.string().min(1).default("./data"),
  API_KEY: z.string().min(16, "must be at least 16 characters").optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /**
   * Key of the keyed hash (HMAC-SHA-256) people are stored and looked up under. When unset, one is generated and
   * kept in DATA_DIR/id-secret. (ID_HASH_SECRET, its former name, is still read.)
   */
  ID_HASH_KEY: z.string().min(32, "must be at least 32 characters").optional(),
  /**
   * Key that encrypts message text, addresses, replies waiting to be sent, transcripts and notes (AES-256-GCM).
   * When unset, one is generated and kept in DATA_DIR/data-key, beside the database, readable by its owner only.
   */
  DATA_KEY: z.string().refine((v) => parseDataKey(v) !== null, DATA_KEY_FORMAT).optional(),
  /** Former data keys, separated by commas, still read while `npm run keys:rotate` re-encrypts (see README). */
  DATA_KEY_PREVIOUS: z.string().refine((v) => v.split(",").every((k) => parseDataKey(k) !== null), `each key ${DATA_KEY_FORMAT}`).optional(),
  /** Largest request body accepted, in bytes. */
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(10_000_000).default(64 * 1024),
  /** Directory holding `intents/` and `content/` (default: the project's own, as reviewed in the repository). */
  CATALOGUE_DIR: z.string().min(1).optional(),
  /**
   * Matching: `builtin` (the lexical embedder, everywhere), `transformers` (a local neural model, hybrid with the
   * built-in; start fails without it), `auto` (the model when it is in MODEL_DIR, the built-in otherwise).
   */
  EMBEDDINGS: z.enum(["auto", "builtin", "transformers"]).default("auto"),
  EMBEDDINGS_MODEL: z.string().regex(/^[\w.-]+(\/[\w.-]+)?$/, "a model name such as Xenova/paraphrase-multilingual-MiniLM-L12-v2").default("Xenova/paraphrase-multilingual-MiniLM-L12-v2"),
  /** Where models live (`<MODEL_DIR>/<org>/<model>/…`), and the calibration `npm run calibrate` writes. */
  MODEL_DIR: z.string().min(1).default("./models"),
  /** Let the model be downloaded from the Hugging Face hub at start when it is missing (off: offline servers). */
  ALLOW_MODEL_DOWNLOAD: z.enum(["on", "off"]).default("off"),
  /** Share of the neural similarity in hybrid matching (the rest is the built-in lexical similarity). */
  EMBEDDINGS_WEIGHT: z.coerce.number().gt(0).max(1).default(0.6),
  /** Text put before every message and example for models trained with one (default: "query: " for e5 models). */
  EMBEDDINGS_PREFIX: z.string().optional(),
  /** Bearer token `GET /metrics` asks for (Authorization: Bearer …); unset: /metrics is open (bind HOST to a private address). */
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  /** Messages a person may send a minute on a channel; beyond it one "please wait", then silence (0: no limit). */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(10_000).default(20),
  /** Days message text is kept; then it is erased (the conversation's events, which hold no text, remain). */
  RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** Days the transcript and notes of a closed case are kept. */
  CASE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** fastText second opinion for language detection: on by default on Node. */
  FASTTEXT: z.enum(["on", "off"]).default("on"),
  /**
   * How long a reply being sent is reserved for that send. After a crash, the replies that were being sent go out
   * again once it has passed; it must outlast one send (the transports give up after 10 s).
   */
  /**
   * Most replies sent a second per channel, below the providers' limits (Telegram: about 30 a second for a bot;
   * Twilio: the sender's throughput, 80 a second for WhatsApp by default).
   */
  SEND_RATE_TELEGRAM: z.coerce.number().positive().max(1000).default(25),
  SEND_RATE_WHATSAPP: z.coerce.number().positive().max(1000).default(60),
  SEND_RATE_SMS: z.coerce.number().positive().max(1000).default(30),
  /** Messages a minute into the caseworkers' Telegram group (Telegram allows about 20). */
  SEND_RATE_CASEWORKER_PER_MINUTE: z.coerce.number().positive().max(60_000).default(20),
  OUTBOX_LEASE_SECONDS: z.coerce.number().int().min(15).max(3600).default(60),
  /** The outbox sender on a thread of its own (Node, with a database file), leaving the main thread to the webhooks. */
  SENDER_THREAD: z.enum(["on", "off"]).default("on"),
  /** Threads that read messages beside the main thread (0: read on the main thread). Default: cores - 1, at most 3. */
  INTERPRETER_THREADS: z.coerce.number().int().min(0).max(16).optional(),

  /**
   * Caseworkers' hours ("mon-fri 08:00-18:00, sat 09:00-13:00") in CASEWORKER_TIMEZONE, and the usual wait during
   * them. With neither hours nor wait set, a person in a handoff is not told when someone will answer.
   */
  CASEWORKER_HOURS: z.string().optional(),
  CASEWORKER_TIMEZONE: z.string().default("America/Panama"),
  CASEWORKER_WAIT_MINUTES: z.coerce.number().int().min(1).max(24 * 60).optional(),

  /** The caseworkers' Telegram supergroup (with topics), e.g. -1001234567890, and who may act in it. */
  CASEWORKER_CHAT_ID: z.coerce.number().int().negative("must be a supergroup id (negative)").optional(),
  CASEWORKER_TELEGRAM_IDS: z
    .string()
    .regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, "must be Telegram user ids separated by commas")
    .optional(),

  /** An unclaimed P1 case is announced again to the caseworkers' group after this many minutes. */
  CASEWORKER_REANNOUNCE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(10),

  /** Behind a reverse proxy that appends the client address to X-Forwarded-For (for sign-in rate limits). */
  TRUST_PROXY: z.enum(["on", "off"]).default("off"),

  /** The public https base URL the providers call (Twilio signs requests over it). */
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[\w-]{20,}$/, "must look like 123456:ABC-DEF... (from @BotFather)").optional(),
  /** Telegram sends it back in X-Telegram-Bot-Api-Secret-Token; 1-256 of A-Z a-z 0-9 _ -. */
  TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[\w-]{16,256}$/, "must be 16-256 characters of A-Z a-z 0-9 _ -").optional(),
  TELEGRAM_API_ROOT: z.url({ protocol: /^https?$/ }).default("https://api.telegram.org"),
  TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-fA-F]{32}$/, "must be AC followed by 32 hex digits").optional(),
  TWILIO_AUTH_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  TWILIO_WHATSAPP_FROM: z.string().regex(/^whatsapp:\+\d{6,15}$/, "must look like whatsapp:+14155550100").optional(),
  TWILIO_SMS_FROM: z.string().regex(/^(\+\d{6,15}|MG[0-9a-fA-F]{32})$/, "must be an E.164 number or a Messaging Service SID").optional(),
  TWILIO_API_BASE_URL: z.url({ protocol: /^https?$/ }).default("https://api.twilio.com"),
  /** Approved WhatsApp template (Content SID) for "a message is waiting" outside the 24-hour window. */
  TWILIO_WHATSAPP_TEMPLATE_SID: z.string().regex(/^HX[0-9a-fA-F]{32}$/, "must be a Content SID (HX...)").optional(),
});

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Never echoed back in an error message: it would land in a terminal scrollback or a deploy log. */
const SECRETS = new Set(["API_KEY", "METRICS_TOKEN", "ID_HASH_KEY", "DATA_KEY", "DATA_KEY_PREVIOUS", "TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "TWILIO_AUTH_TOKEN"]);

export function loadConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  // The former name of ID_HASH_KEY, so that a deployment keeps its people's keys across the upgrade.
  if (present.ID_HASH_KEY === undefined && present.ID_HASH_SECRET !== undefined) present.ID_HASH_KEY = present.ID_HASH_SECRET;
  delete present.ID_HASH_SECRET;
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const name = String(i.path[0]);
        const shown = SECRETS.has(name) ? "(hidden)" : JSON.stringify(present[name] ?? "");
        return `${name}=${shown}: ${i.message}`;
      }),
    );
  }
  const config = parsed.data;
  try {
    parseSchedule(config.CASEWORKER_HOURS, config.CASEWORKER_TIMEZONE, config.CASEWORKER_WAIT_MINUTES ?? 30);
  } catch (error) {
    if (error instanceof ScheduleError) {
      const name = error.message.includes("time zone") ? "CASEWORKER_TIMEZONE" : "CASEWORKER_HOURS";
      throw new ConfigError([`${name}=${JSON.stringify(present[name] ?? "")}: ${error.message}`]);
    }
    throw error;
  }
  return config;
}

/** The outbox's sending limits per channel, from the configuration. */
export function sendRates(config: Config): Partial<Record<Channel, SendRate>> {
  return {
    telegram: { count: config.SEND_RATE_TELEGRAM, seconds: 1 },
    whatsapp: { count: config.SEND_RATE_WHATSAPP, seconds: 1 },
    sms: { count: config.SEND_RATE_SMS, seconds: 1 },
    caseworker: { count: config.SEND_RATE_CASEWORKER_PER_MINUTE, seconds: 60 },
  };
}

/** The caseworkers' schedule from the configuration, or undefined when neither hours nor a wait is set. */
export function scheduleFrom(config: Config): Schedule | undefined {
  if (config.CASEWORKER_HOURS === undefined && config.CASEWORKER_WAIT_MINUTES === undefined) return undefined;
  return parseSchedule(config.CASEWORKER_HOURS, config.CASEWORKER_TIMEZONE, config.CASEWORKER_WAIT_MINUTES ?? 30);
}
