import { ConfigError } from "../config.js";

/** Minimal `--flag value` / `--flag` parsing for the CLIs (no dependency needed for a handful of flags). */
export function parseFlags(argv: readonly string[]): Map<string, string | true> {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--")) continue;
    const [name, inline] = arg.slice(2).split("=", 2) as [string, string | undefined];
    const next = argv[i + 1];
    if (inline !== undefined) flags.set(name, inline);
    else if (next !== undefined && !next.startsWith("--")) {
      flags.set(name, next);
      i++;
    } else flags.set(name, true);
  }
  return flags;
}

/**
 * Positional arguments and on/off switches (`--force`), for CLIs whose flags take no value (`parseFlags` would
 * read `--force backup.sqlite` as a value). Null on a switch not in `known`.
 */
export function parseSwitches(argv: readonly string[], known: readonly string[]): { positional: string[]; switches: Set<string> } | null {
  const positional: string[] = [];
  const switches = new Set<string>();
  for (const arg of argv) {
    if (!arg.startsWith("-")) positional.push(arg);
    else if (known.includes(arg.replace(/^--/, ""))) switches.add(arg.replace(/^--/, ""));
    else return null;
  }
  return { positional, switches };
}

export function flagString(flags: Map<string, string | true>, name: string): string | undefined {
  const value = flags.get(name);
  return typeof value === "string" ? value : undefined;
}

/**
 * Runs a CLI's `main` and exits with its code; a failure is one line (a configuration problem as it is, anything
 * else as "<name> failed: …"), never a stack trace.
 */
export function runCli(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof ConfigError ? error.message : `${name} failed: ${(error as Error).message}`);
      process.exit(1);
    },
  );
}

/** `npm run eval | head` closes stdout early: that is the reader's choice, not an error worth a stack trace. */
export function exitQuietlyOnClosedPipe(): void {
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
}
