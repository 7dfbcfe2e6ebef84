import pino, { type DestinationStream } from "pino";
import type { Logger, LogLevel } from "./log.js";

/**
 * The Node logger: pino, one JSON line per event on stderr (written synchronously: a crash loses no line). The callers' privacy rule
 * stands (they pass counts, intents, codes and durations, never message text, phone numbers or channel ids);
 * redaction is the second line of defence, should a field of that kind ever slip into a log call.
 */
const REDACTED = ["text", "body", "Body", "address", "to", "To", "from", "From", "chatId", "chat_id", "phone", "html"];

export function createNodeLogger(level: LogLevel, destination: DestinationStream = pino.destination({ fd: 2, sync: true })): Logger {
  const log = pino(
    {
      level,
      base: undefined,
      messageKey: "event",
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: [...REDACTED, ...REDACTED.map((f) => `*.${f}`)], censor: "[redacted]" },
    },
    destination,
  );
  return {
    debug: (event, fields = {}) => log.debug(fields, event),
    info: (event, fields = {}) => log.info(fields, event),
    warn: (event, fields = {}) => log.warn(fields, event),
    error: (event, fields = {}) => log.error(fields, event),
  };
}
