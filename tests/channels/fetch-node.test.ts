import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { nodeFetch } from "../../src/fetch-node.js";

/** The providers' calls on Node, against a real local server: what the transports rely on of fetch. */
describe("nodeFetch", () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));
  const listen = async (handler: (req: IncomingMessage, body: string, res: import("node:http").ServerResponse) => void) => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString("utf8")));
      req.on("end", () => handler(req, body, res));
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };

  it("posts JSON and forms with their headers, and reads the status, headers and body", async () => {
    const seen: { method?: string; type?: string; auth?: string; body: string }[] = [];
    const base = await listen((req, body, res) => {
      seen.push({ method: req.method, type: req.headers["content-type"], auth: req.headers.authorization, body });
      res.writeHead(req.url === "/missing" ? 404 : 200, { "content-type": "application/json", "retry-after": "7" });
      res.end(JSON.stringify({ ok: req.url !== "/missing", echo: body }));
    });
    const json = await nodeFetch(`${base}/json`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "¿dónde? 🙏" }) });
    expect([json.status, json.ok, json.headers.get("retry-after")]).toEqual([200, true, "7"]);
    expect(await json.json()).toEqual({ ok: true, echo: '{"text":"¿dónde? 🙏"}' });
    const form = await nodeFetch(new URL(`${base}/form`), { method: "POST", headers: new Headers({ authorization: "Basic abc" }), body: new URLSearchParams({ Body: "olá & até" }) });
    expect(await form.text()).toContain("Body=ol%C3%A1+%26+at%C3%A9");
    expect(seen[1]).toMatchObject({ method: "POST", type: "application/x-www-form-urlencoded;charset=UTF-8", auth: "Basic abc" });
    const missing = await nodeFetch(`${base}/missing`);
    expect([missing.status, missing.ok]).toEqual([404, false]);
  });

  it("rejects with the signal's reason when it times out, and with a TypeError when nobody answers", async () => {
    const base = await listen(() => undefined); // never answers
    const timedOut = nodeFetch(`${base}/slow`, { method: "POST", body: "x", signal: AbortSignal.timeout(50) });
    await expect(timedOut).rejects.toMatchObject({ name: "TimeoutError" });
    const port = (server!.address() as AddressInfo).port;
    server!.closeAllConnections();
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    await expect(nodeFetch(`http://127.0.0.1:${port}/gone`, { method: "POST", body: "x" })).rejects.toBeInstanceOf(TypeError);
  });

  it("refuses a response larger than a megabyte instead of holding it in memory", async () => {
    const base = await listen((_req, _body, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(Buffer.alloc(2 << 20, 0x61));
    });
    await expect(nodeFetch(`${base}/huge`)).rejects.toBeInstanceOf(TypeError);
  });
});
