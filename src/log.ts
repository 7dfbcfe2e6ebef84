/**
 * The Logger port, and the small structured logger Workers use (one JSON line per event through console; Node
 * uses pino, src/log-node.ts, with the same fields). By privacy rule it is never given message text,
 * phone numbers or channel ids; callers pass counts, intents, codes and durations.
 */
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  debug(event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

/** Whether a logger set to `threshold` writes lines of `level`. */
export function logs(threshold: LogLevel, level: Exclude<LogLevel, "silent">): boolean {
  return ORDER[level] >= ORDER[threshold];
}

export function createLogger(level: LogLevel, write: (line: string) => void = (line) => console.error(line)): Logger {
  const at = (lvl: Exclude<LogLevel, "silent">) => (event: string, fields: Record<string, unknown> = {}) => {
    if (!logs(level, lvl)) return;
    write(JSON.stringify({ t: new Date().toISOString(), level: lvl, event, ...fields }));
  };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
