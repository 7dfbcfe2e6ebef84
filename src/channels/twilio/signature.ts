/**
 * Twilio's request signature (X-Twilio-Signature), with the platform's HMAC (src/core/hmac.ts: WebCrypto, or
 * node:crypto on Node), so that the same check runs on Node and on Workers. Why not the twilio SDK's
 * `validateRequest`: it needs Node's crypto and Buffer, and the whole SDK bundles on Workers only with
 * `nodejs_compat` and megabytes more (see ../shared/ENVIRONMENT.md). The algorithm is Twilio's: base64(HMAC-SHA1(auth
 * token, URL + every parameter name and value, names sorted)); like the SDK, the URL is tried as given and
 * normalised, each with and without its default port (Twilio signs either). tests/channels/twilio-signature.test.ts
 * checks it against the SDK's own `getExpectedTwilioSignature`, with both HMACs.
 */
import { fromBase64 as unbase64, toBase64 as base64 } from "../../core/base64.js";
import { sameBytes, webCryptoHmac, type Hmac } from "../../core/hmac.js";

/** What Twilio signs for a URL and form parameters. */
export function signedData(url: string, params: Record<string, string>): string {
  return Object.keys(params)
    .sort()
    .reduce((data, key) => data + key + params[key], url);
}

/** The signature Twilio would send (for tests and fakes). */
export async function twilioSignature(authToken: string, url: string, params: Record<string, string>, hmac: Hmac = webCryptoHmac): Promise<string> {
  return base64(await hmac("SHA-1", authToken, signedData(url, params)));
}

const URL_PARTS = /^(https?:\/\/)([^@/?#]*@)?([^:/?#]*)(:\d+)?(.*)$/i;

function withoutPort(url: string): string {
  const p = URL_PARTS.exec(url);
  return p ? `${p[1]}${p[2] ?? ""}${p[3]}${p[5]}` : url;
}

function withPort(url: string): string {
  const p = URL_PARTS.exec(url);
  if (!p || p[4]) return url;
  return `${p[1]}${p[2] ?? ""}${p[3]}${p[1]!.toLowerCase() === "https://" ? ":443" : ":80"}${p[5]}`;
}

/** True when `signature` is Twilio's for the URL and parameters (compared in constant time). */
export async function validTwilioSignature(
  authToken: string,
  signature: string,
  url: string,
  params: Record<string, string>,
  hmac: Hmac = webCryptoHmac,
): Promise<boolean> {
  const bytes = unbase64(signature);
  if (!signature || !bytes || bytes.length !== 20) return false;
  let normalised = url;
  try {
    normalised = new URL(url).toString();
  } catch {
    // not a URL: only the string as given can match
  }
  // The URL as given first: what Twilio signs when the configured URL is the one it calls.
  const candidates = [...new Set([url, withoutPort(url), withPort(url), withoutPort(normalised), withPort(normalised)])];
  for (const candidate of candidates) {
    if (sameBytes(await hmac("SHA-1", authToken, signedData(candidate, params)), bytes)) return true;
  }
  return false;
}
