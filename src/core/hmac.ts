/**
 * Keyed hashes (HMAC) of text under a text key, as people's keys (identity.ts) and Twilio's signatures need them.
 * WebCrypto is the default, the same on Node and Workers; it answers through a promise that, on Node, makes a
 * round trip to the thread pool for each hash. The Node service supplies a synchronous one (src/hmac-node.ts)
 * for the webhooks' hot path: the same bytes, no hop.
 */
export type HmacHash = "SHA-1" | "SHA-256";
export type Hmac = (hash: HmacHash, key: string, data: string) => Uint8Array | Promise<Uint8Array>;

const encoder = new TextEncoder();
/** Imported keys by hash and key: importing costs more than signing, and a process has few keys. */
const keys = new Map<string, Promise<CryptoKey>>();

function importedKey(hash: HmacHash, key: string): Promise<CryptoKey> {
  const id = `${hash}:${key}`;
  let imported = keys.get(id);
  if (!imported) {
    imported = crypto.subtle.importKey("raw", encoder.encode(key), { name: "HMAC", hash }, false, ["sign"]);
    if (keys.size > 8) keys.clear();
    keys.set(id, imported);
  }
  return imported;
}

export const webCryptoHmac: Hmac = async (hash, key, data) =>
  new Uint8Array(await crypto.subtle.sign("HMAC", await importedKey(hash, key), encoder.encode(data)));

/** Whether two byte strings are equal, in a time that does not depend on where they differ. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
