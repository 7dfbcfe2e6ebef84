/**
 * What the transports need of fetch: the platform's own on Workers, a lighter one on Node (src/fetch-node.ts).
 * Both send a request and read a small JSON or text answer; nothing streams.
 */
export type HttpResponse = Pick<Response, "status" | "statusText" | "ok" | "headers" | "text" | "json">;
export type HttpFetch = (input: string | URL, init?: RequestInit) => Promise<HttpResponse>;

/** The platform's fetch, as an HttpFetch. */
export const platformFetch: HttpFetch = (input, init) => fetch(input, init);
