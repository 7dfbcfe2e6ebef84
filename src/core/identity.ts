import { toHex } from "./base64.js";
import { webCryptoHmac, type Hmac } from "./hmac.js";
import type { Channel } from "./ports.js";

/**
 * People are stored under a keyed hash of their channel id (HMAC-SHA-256 with a server secret), so a stolen
 * database does not reveal phone numbers or Telegram ids, and the same person on two channels stays two
 * unlinked records. The hash comes from `hmac` (WebCrypto unless the runtime has a faster one: see hmac.ts).
 *
 * Recently seen people are remembered, so a conversation's messages do not each pay for the hash (with
 * WebCrypto on Node, a round trip to the thread pool). Bounded; held in memory only.
 */
const recent = new Map<string, Map<string, string>>();
const RECENT_MAX = 10_000;

export async function userKeyFor(channel: Channel, channelUserId: string, secret: string, hmac: Hmac = webCryptoHmac): Promise<string> {
  const id = `${channel}:${channelUserId}`;
  let seen = recent.get(secret);
  if (!seen) recent.set(secret, (seen = new Map()));
  const known = seen.get(id);
  if (known) return known;
  const key = toHex((await hmac("SHA-256", secret, id)).subarray(0, 16));
  if (seen.size >= RECENT_MAX) seen.delete(seen.keys().next().value!);
  seen.set(id, key);
  return key;
}
