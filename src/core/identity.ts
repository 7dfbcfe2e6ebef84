import type { Channel } from "./ports.js";

/**
 * People are stored under a keyed hash of their channel id (HMAC-SHA-256 with a server secret), so a stolen
 * database does not reveal phone numbers or Telegram ids, and the same person on two channels stays two
 * unlinked records. WebCrypto runs the same on Node and Workers.
 */
const encoder = new TextEncoder();
/** Imported keys by secret: importing costs more than signing, and a process has one secret. */
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    if (keys.size > 8) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

/**
 * Recently seen people, so a conversation's messages do not each pay a round trip to the crypto thread pool.
 * Bounded; held in memory only.
 */
const recent = new Map<string, Map<string, string>>();
const RECENT_MAX = 10_000;

export async function userKeyFor(channel: Channel, channelUserId: string, secret: string): Promise<string> {
  const id = `${channel}:${channelUserId}`;
  let seen = recent.get(secret);
  if (!seen) recent.set(secret, (seen = new Map()));
  const known = seen.get(id);
  if (known) return known;
  const key = await computeKey(id, secret);
  if (seen.size >= RECENT_MAX) seen.delete(seen.keys().next().value!);
  seen.set(id, key);
  return key;
}

async function computeKey(id: string, secret: string): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret), encoder.encode(id));
  return Array.from(new Uint8Array(mac).slice(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
}
