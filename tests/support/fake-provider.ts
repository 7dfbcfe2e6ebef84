import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Base of the local fake provider APIs (Telegram Bot API, Twilio REST): real HTTP on 127.0.0.1, every request
 * recorded, and scripted trouble — an error status for the next N calls, or a stall past the client's timeout.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
  /** When it arrived (ms since the epoch). */
  at: number;
}

export type Trouble = { status: number; body?: unknown; headers?: Record<string, string> } | { stallMs: number };

export abstract class FakeProvider {
  readonly requests: RecordedRequest[] = [];
  private server: Server | undefined;
  private trouble: { trouble: Trouble; remaining: number }[] = [];
  url = "";
  /** Every answer comes this long after the request (a slow provider); trouble is not delayed. */
  latencyMs = 0;

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.receive(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The next `times` calls meet this trouble (then the provider behaves again). */
  failNext(times: number, trouble: Trouble): void {
    this.trouble.push({ trouble, remaining: times });
  }

  /** Everything fails until `recover()`. */
  goDown(status = 503): void {
    this.trouble = [{ trouble: { status }, remaining: Number.POSITIVE_INFINITY }];
  }

  recover(): void {
    this.trouble = [];
  }

  private async receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const recorded: RecordedRequest = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() };
    const active = this.trouble[0];
    if (active) {
      active.remaining--;
      if (active.remaining <= 0) this.trouble.shift();
      if ("stallMs" in active.trouble) {
        await new Promise((resolve) => setTimeout(resolve, (active.trouble as { stallMs: number }).stallMs));
        if (!res.destroyed) res.destroy();
        return;
      }
      const { status, body, headers } = active.trouble;
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body ?? { error: "trouble" }));
      return;
    }
    this.requests.push(recorded);
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    const { status, body } = this.answer(recorded);
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  }

  protected abstract answer(request: RecordedRequest): { status: number; body: unknown };

  /** Waits until `predicate` holds (polling), or fails after `timeoutMs`. */
  async waitFor(predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`${this.constructor.name}: condition not met in ${timeoutMs} ms (${this.requests.length} requests)`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
