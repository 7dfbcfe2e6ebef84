import { serve } from "@hono/node-server";
import { once } from "node:events";
import { Agent, request } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { closingUnreadBodies } from "../../src/runtime-node.js";
import type { Service } from "../../src/service.js";
import { channelService } from "../support/service.js";

/** Over real sockets, as src/node.ts serves the app: what a client with a pool of keep-alive connections sees. */
describe("the Node server's connections", () => {
  let service: Service | undefined;
  let close: (() => void) | undefined;
  afterEach(async () => {
    close?.();
    await service?.close();
  });

  it("after refusing a body unread it closes the connection, so the client's next request is not lost on it", async () => {
    service = await channelService({});
    const server = serve({ fetch: closingUnreadBodies(service.app.fetch), port: 0, hostname: "127.0.0.1" });
    await once(server, "listening");
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    close = () => {
      agent.destroy();
      server.close();
    };
    const post = (body: Buffer) =>
      new Promise<{ status: number | undefined; connection: string | undefined }>((resolve, reject) => {
        const port = (server.address() as AddressInfo).port;
        const headers = { "content-type": "application/json", "content-length": String(body.length) };
        const req = request({ host: "127.0.0.1", port, method: "POST", path: "/api/messages", agent, headers }, (res) => {
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode, connection: res.headers.connection }));
        });
        req.on("error", reject);
        req.end(body);
      });

    // Well over the 64 KB cap, and more than the socket's buffers hold: refused from its Content-Length, unread.
    expect(await post(Buffer.alloc(300_000, 0x61))).toEqual({ status: 413, connection: "close" });
    const next = await post(Buffer.from(JSON.stringify({ userId: "ana", text: "hola" })));
    expect(next).toEqual({ status: 200, connection: "keep-alive" });
  });

  it("counts a body sent without a length (chunked) as it arrives: over the cap refused, under it read", async () => {
    service = await channelService({});
    const server = serve({ fetch: closingUnreadBodies(service.app.fetch), port: 0, hostname: "127.0.0.1" });
    await once(server, "listening");
    close = () => server.close();
    const chunked = (chunks: Buffer[]) =>
      new Promise<number | undefined>((resolve, reject) => {
        const port = (server.address() as AddressInfo).port;
        const req = request({ host: "127.0.0.1", port, method: "POST", path: "/api/messages", headers: { "content-type": "application/json" } }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode));
        });
        req.on("error", reject);
        for (const chunk of chunks) req.write(chunk);
        req.end();
      });

    expect(await chunked(Array.from({ length: 10 }, () => Buffer.alloc(10_000, 0x20)))).toBe(413);
    const json = Buffer.from(JSON.stringify({ userId: "ana", text: "hola" }));
    expect(await chunked([json.subarray(0, 10), json.subarray(10)])).toBe(200);
  });
});
