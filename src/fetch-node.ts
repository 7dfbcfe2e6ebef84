import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type RequestOptions } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { HttpFetch, HttpResponse } from "./channels/http-fetch.js";

/**
 * The providers' APIs called with node:http and kept-alive connections. Node's fetch (undici) costs about
 * 250 µs of CPU per call in its web-stream plumbing, a quarter of a core at a thousand replies a second; this
 * costs about 40. Only what the transports send goes this way (a method, headers, a text or byte body, an abort
 * signal); anything else is handed to the platform's fetch. Like fetch, it neither retries nor follows redirects
 * for a POST; unlike fetch, it asks for no compression (the APIs answer a few hundred bytes of JSON).
 */
const MAX_RESPONSE_BYTES = 1 << 20;
const agents = {
  "http:": new HttpAgent({ keepAlive: true, maxSockets: 64 }),
  "https:": new HttpsAgent({ keepAlive: true, maxSockets: 64 }),
};

type Body = string | Uint8Array | URLSearchParams | null | undefined;

export const nodeFetch: HttpFetch = (input, init = {}) => {
  const url = typeof input === "string" ? new URL(input) : input;
  const body = init.body as unknown;
  const simpleBody = body === undefined || body === null || typeof body === "string" || body instanceof Uint8Array || body instanceof URLSearchParams;
  if (!(url.protocol in agents) || !simpleBody) return fetch(url, init);
  return new Promise<HttpResponse>((resolve, reject) => {
    const signal = init.signal ?? undefined;
    if (signal?.aborted) return reject(signal.reason);
    const payload = bodyBytes(body as Body);
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => (headers[name] = value));
    if (payload) headers["content-length"] = String(payload.byteLength);
    if (body instanceof URLSearchParams && !headers["content-type"]) headers["content-type"] = "application/x-www-form-urlencoded;charset=UTF-8";
    const options: RequestOptions = { method: init.method ?? "GET", headers, agent: agents[url.protocol as keyof typeof agents] };
    const request = (url.protocol === "https:" ? httpsRequest : httpRequest)(url, options, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) request.destroy(new TypeError("the response is too large"));
        else chunks.push(chunk);
      });
      response.on("end", () => resolve(bufferedResponse(response.statusCode ?? 0, response.statusMessage ?? "", response.headers, Buffer.concat(chunks))));
      response.on("error", reject);
    });
    const abort = () => request.destroy(signal!.reason as Error);
    signal?.addEventListener("abort", abort, { once: true });
    request.on("error", (error) => reject(signal?.aborted ? signal.reason : new TypeError("fetch failed", { cause: error })));
    request.on("close", () => signal?.removeEventListener("abort", abort));
    request.end(payload);
  });
};

function bodyBytes(body: Body): Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string") return Buffer.from(body, "utf8");
  if (body instanceof URLSearchParams) return Buffer.from(body.toString(), "utf8");
  return body;
}

/** What the transports read of a response, from its whole body. */
function bufferedResponse(status: number, statusText: string, raw: IncomingHttpHeaders, bytes: Buffer): HttpResponse {
  let headers: Headers | undefined;
  const text = () => Promise.resolve(bytes.toString("utf8"));
  return {
    status,
    statusText,
    ok: status >= 200 && status < 300,
    get headers() {
      if (!headers) {
        headers = new Headers();
        for (const [name, value] of Object.entries(raw)) {
          for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, one);
        }
      }
      return headers;
    },
    text,
    json: () => text().then((t) => JSON.parse(t) as unknown),
  };
}
