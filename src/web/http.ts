import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";

/** Small HTTP helpers shared by the app and the channel webhooks. */

/** The JSON error body every route uses: {"error": {"code", "message", "details"?}}. */
export function problem(code: string, message: string, details?: unknown) {
  return { error: { code, message, ...(details ? { details } : {}) } };
}

/** Which fields of a body were wrong, for a 400's details (zod's messages name the types expected, never the values sent). */
export function fieldProblems(issues: readonly { path: readonly PropertyKey[]; message: string }[]) {
  return issues.map((i) => ({ field: i.path.map(String).join("."), message: i.message }));
}

/** Compares secrets in time independent of where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * Headers every response gets: no MIME sniffing, no referrer (dashboard URLs carry case ids). HTML pages also
 * get a CSP with no inline script or style and no framing, and are not cached (they show cases).
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export function securityHeaders(headers: Headers): void {
  headers.set("x-content-type-options", "nosniff");
  headers.set("referrer-policy", "no-referrer");
  if ((headers.get("content-type") ?? "").startsWith("text/html")) {
    headers.set("content-security-policy", CONTENT_SECURITY_POLICY);
    headers.set("x-frame-options", "DENY");
    if (!headers.has("cache-control")) headers.set("cache-control", "no-store");
  }
}

/**
 * Refuses a body over `maxBytes` with 413 (a JSON problem saying `refusal`, or what `refusal` answers), before
 * anything reads it. A declared length is checked from the header (the HTTP parser holds the body to it), which
 * keeps Node's fast path: reading the body straight from the socket instead of through a web stream. A body
 * without one (chunked) is counted as it is read.
 */
export function bodyCap(maxBytes: number, refusal: string | ((c: Context) => Response)): MiddlewareHandler {
  const refuse = typeof refusal === "function" ? refusal : (c: Context) => c.json(problem("body_too_large", refusal), 413);
  const counted = bodyLimit({ maxSize: maxBytes, onError: refuse });
  return async (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    const length = c.req.header("content-length");
    if (length !== undefined && c.req.header("transfer-encoding") === undefined && /^\d+$/.test(length)) {
      return Number(length) > maxBytes ? refuse(c) : next();
    }
    return counted(c, next);
  };
}
