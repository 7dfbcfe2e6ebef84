import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { createServer } from "node:net";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../src/catalog/files.js";
import { BOT_TOKEN, type FakeTelegram } from "./fake-telegram.js";
import { ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL, type FakeTwilio } from "./fake-twilio.js";
import { SMS_FROM, WEBHOOK_SECRET, WHATSAPP_FROM, type SignedWebhook } from "./webhooks.js";

/**
 * The real server in a child process, started the way `npm start` starts it (node with tsx, src/node.ts),
 * configured through the environment an operator would set, with the provider APIs pointed at local fakes.
 * The crash tests and the webhook benchmarks drive it over loopback.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The variables an operator sets to point Brújula at Telegram and Twilio, here at the local fakes. */
export function providerEnv(fakes: { telegram?: { url: string } | undefined; twilio?: { url: string } | undefined }): Record<string, string> {
  return {
    PUBLIC_URL,
    // The fakes never throttle: the providers' real limits (SEND_RATE_*) would only slow the tests down.
    SEND_RATE_TELEGRAM: "1000",
    SEND_RATE_WHATSAPP: "1000",
    SEND_RATE_SMS: "1000",
    SEND_RATE_CASEWORKER_PER_MINUTE: "60000",
    ...(fakes.telegram ? { TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET, TELEGRAM_API_ROOT: fakes.telegram.url } : {}),
    ...(fakes.twilio
      ? { TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_WHATSAPP_FROM: WHATSAPP_FROM, TWILIO_SMS_FROM: SMS_FROM, TWILIO_API_BASE_URL: fakes.twilio.url }
      : {}),
  };
}

export interface ServerOptions {
  dataDir: string;
  telegram: FakeTelegram;
  twilio: FakeTwilio;
  /** More variables (LOG_LEVEL, INTERPRETER_THREADS, FASTTEXT…); they win over the defaults here. */
  env?: Record<string, string>;
  /** Flags for node itself (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** Copy the server's log (stderr) to ours as it comes; it is kept either way (`log()`). */
  echo?: boolean;
  /** Connections `post` keeps open to the server at most. */
  connections?: number;
  /** How long start-up may take on a loaded machine. */
  startTimeoutMs?: number;
}

export interface ServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The last part of the server's log kept in memory: enough to explain a failure, bounded for long runs. */
const LOG_TAIL = 64 * 1024;
/** USER_HZ: /proc counts CPU time in these (100 a second on every Linux Node supports). */
const CLOCK_TICKS = 100;

export class ServerProcess {
  readonly exited: Promise<ServerExit>;
  private tail = "";
  private readonly agent: Agent;

  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
    echo: boolean,
    connections: number,
  ) {
    // An idle connection is dropped after 4 s, before the server's keep-alive timeout (5 s, which it announces in
    // `Keep-Alive: timeout=5`) could close it under a request just being sent: undici does the same.
    this.agent = new Agent({ keepAlive: true, maxSockets: connections, timeout: 4_000 });
    this.exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
    child.stderr!.on("data", (chunk: Buffer) => {
      if (echo) process.stderr.write(chunk);
      this.tail = (this.tail + chunk.toString("utf8")).slice(-LOG_TAIL);
    });
  }

  static async start(options: ServerOptions): Promise<ServerProcess> {
    const port = await freePort();
    const env = {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: options.dataDir,
      LOG_LEVEL: "warn",
      ...providerEnv(options),
      ...options.env,
    };
    const args = [...(options.nodeArgs ?? []), "--import", "tsx", join(PROJECT_ROOT, "src/node.ts")];
    const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, env, stdio: ["ignore", "ignore", "pipe"] });
    const server = new ServerProcess(child, `http://127.0.0.1:${port}`, options.echo ?? false, options.connections ?? 64);
    await server.waitHealthy(options.startTimeoutMs ?? 60_000);
    return server;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** What the server logged (the last 64 KB). */
  log(): string {
    return this.tail;
  }

  private async waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exit: ServerExit | undefined;
    void this.exited.then((e) => (exit = e));
    for (;;) {
      if (exit) throw new Error(`the server exited during start-up (${exit.code ?? exit.signal}):\n${this.tail}`);
      if (await fetch(`${this.url}/health`).then((r) => r.ok, () => false)) return;
      if (Date.now() > deadline) throw new Error(`the server was not healthy within ${timeoutMs} ms:\n${this.tail}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /**
   * POSTs a webhook; resolves to the response status, or rejects when the connection fails. Like a provider, the
   * caller keeps a bounded set of connections alive (Telegram opens at most 40 by default): what does not fit waits.
   */
  post(webhook: SignedWebhook): Promise<number> {
    return new Promise((resolve, reject) => {
      const outgoing = request(`${this.url}${webhook.path}`, { method: "POST", headers: webhook.headers, agent: this.agent }, (response) => {
        response.resume().once("end", () => resolve(response.statusCode ?? 0)).once("error", reject);
      });
      outgoing.once("error", reject);
      outgoing.end(webhook.body);
    });
  }

  /** /health's facts (outbox counts by status, memory…), or undefined when it does not answer. */
  async health(): Promise<Record<string, any> | undefined> {
    return fetch(`${this.url}/health`).then((r) => r.json() as Promise<Record<string, any>>, () => undefined);
  }

  /** Resident memory (kB, from /proc) and open file descriptors of the server process; Linux only. */
  usage(): { rssKb: number; fds: number } {
    const status = readFileSync(`/proc/${this.pid}/status`, "utf8");
    const rssKb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? Number.NaN);
    return { rssKb, fds: readdirSync(`/proc/${this.pid}/fd`).length };
  }

  /** CPU time the server process has used so far (user + system, all threads), in ms, from /proc; Linux only. */
  cpuMs(): number {
    const stat = readFileSync(`/proc/${this.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of the line, in clock ticks (100 a second on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  }

  /** Sends `signal` and waits for the process to end. */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<ServerExit> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    this.agent.destroy();
    return this.exited;
  }
}
