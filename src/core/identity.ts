import type { Channel } from "./ports.js";

/**
 * People are stored under a keyed hash of their channel id (HMAC-SHA-256 with a server secret), so a stolen
 * database does not reveal phone numbers or Telegram ids, and the same person on two channels stays two
 * unlinked records. WebCrypto runs the same on Node and Workers.
 */
export async function userKeyFor(channel: Channel, channelUserId: string, secret: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(`${channel}:${channelUserId}`));
  return Array.from(new Uint8Array(mac).slice(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
}
