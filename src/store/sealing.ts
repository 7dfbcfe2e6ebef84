import { fromBase64, toBase64, toHex } from "../core/base64.js";

/**
 * Encryption at rest of what would identify a person or repeat their words: message text, addresses (phone
 * numbers, Telegram chat ids), outbox payloads, case transcripts, caseworkers' notes and the questions kept for the
 * content team (redacted, but still a person's words). A copy of the database without the key shows none of them.
 *
 * A sealed value is `enc1.<key id>.<base64(iv ‖ ciphertext ‖ tag)>`: AES-256-GCM with a fresh 96-bit IV, the
 * column's name as additional data (a value moved to another column does not open), and the id of the key
 * (the first 8 hex digits of its SHA-256) so that rotation can keep older keys readable while it re-seals.
 * Workers seal with WebCrypto; Node's SQLite adapter, whose transactions are synchronous, with node:crypto in
 * the same format (tests/store/sealing.test.ts opens each one's values with the other).
 *
 * Values that hold nothing stay as they are: "" (erased text), "{}" (a scrubbed payload), "[]" (a purged
 * transcript), so that the retention SQL can still see what is left to erase. A value without the prefix is a
 * row written before encryption was introduced; it is read as it is and `npm run keys:rotate` seals it.
 */
export const SEALED_COLUMNS = [
  { table: "inbound", column: "text" },
  { table: "contacts", column: "address" },
  { table: "outbox", column: "payload" },
  { table: "cases", column: "transcript" },
  { table: "case_notes", column: "text" },
  { table: "unanswered", column: "text" },
] as const;

export type SealedColumn = `${(typeof SEALED_COLUMNS)[number]["table"]}.${(typeof SEALED_COLUMNS)[number]["column"]}`;

const PREFIX = "enc1.";
const EMPTY = new Set(["", "{}", "[]"]);
/** The same set, as an SQL list. */
const EMPTY_SQL = [...EMPTY].map((v) => `'${v}'`).join(", ");
const IV_BYTES = 12;

export class SealError extends Error {
  override name = "SealError";
}

export interface DataKey {
  /** 8 hex digits of SHA-256(key): names the key in sealed values without revealing it. */
  id: string;
  raw: Uint8Array<ArrayBuffer>;
}

/** The key new values are sealed with, and every key a stored value may name (the current one included). */
export interface Keyring {
  current: DataKey;
  keys: ReadonlyMap<string, DataKey>;
}

/**
 * What a message or a transcript that no key opens (a damaged value) reads as where failing would cost more than
 * the value: a person's cry for help must still open a case even if one of their older messages is unreadable.
 */
export const UNREADABLE = "[unreadable]";
export const UNREADABLE_TRANSCRIPT = JSON.stringify([{ at: "1970-01-01T00:00:00.000Z", text: UNREADABLE }]);

/** Seals and opens values inside the synchronous SQLite transactions (Node). */
export interface SyncSealer {
  readonly keyId: string;
  seal(column: SealedColumn, plain: string): string;
  open(column: SealedColumn, stored: string): string;
}

/** Seals and opens values for D1 (Workers), with WebCrypto. */
export interface Sealer {
  readonly keyId: string;
  seal(column: SealedColumn, plain: string): Promise<string>;
  open(column: SealedColumn, stored: string): Promise<string>;
}

/** `open`, or `fallback` when the value does not open (SealError); any other error still throws. */
export function openOr<T extends string | Promise<string>>(open: () => T, fallback: string): T {
  const failed = (error: unknown) => {
    if (error instanceof SealError) return fallback;
    throw error;
  };
  try {
    const value = open();
    return (typeof value === "string" ? value : (value as Promise<string>).catch(failed)) as T;
  } catch (error) {
    return failed(error) as T;
  }
}

/** A key as written in DATA_KEY or the key file: 32 bytes as 64 hex digits or as base64. Null otherwise. */
export function parseDataKey(text: string): Uint8Array<ArrayBuffer> | null {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Uint8Array.from(t.match(/../g)!, (h) => parseInt(h, 16));
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) {
    const bytes = fromBase64(t.replace(/-/g, "+").replace(/_/g, "/").padEnd(44, "="));
    if (bytes?.length === 32) return bytes;
  }
  return null;
}

export const DATA_KEY_FORMAT = "must be 32 bytes written as 64 hex digits or base64 (openssl rand -hex 32)";

export async function dataKey(raw: Uint8Array<ArrayBuffer>): Promise<DataKey> {
  if (raw.length !== 32) throw new SealError("a data key is 32 bytes");
  return { id: toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", raw))).slice(0, 8), raw };
}

export async function keyring(current: Uint8Array<ArrayBuffer>, previous: readonly Uint8Array<ArrayBuffer>[] = []): Promise<Keyring> {
  const all = await Promise.all([current, ...previous].map(dataKey));
  return { current: all[0]!, keys: new Map(all.map((k) => [k.id, k])) };
}

/** Keys as written in settings or the key file: separated by commas, spaces or lines. Throws on a malformed one. */
export function parseDataKeys(text: string): Uint8Array<ArrayBuffer>[] {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((k) => {
      const key = parseDataKey(k);
      if (!key) throw new SealError(`a data key ${DATA_KEY_FORMAT}`);
      return key;
    });
}

/** The keyring from its written form: the first key of `current` seals, every other one only opens. */
export async function keyringFrom(current: string, previous = ""): Promise<Keyring> {
  const [first, ...rest] = parseDataKeys(current);
  if (!first) throw new SealError(`no data key: DATA_KEY ${DATA_KEY_FORMAT}`);
  return keyring(first, [...rest, ...parseDataKeys(previous)]);
}

/** Whether a stored value needs no key to be read ("", "{}", "[]") and is left as it is. */
export function isEmptyValue(value: string): boolean {
  return EMPTY.has(value);
}

/** The parts of a sealed value, or null for a value stored before encryption (read as it is). */
export function sealedParts(stored: string, decode: (base64: string) => Uint8Array | null = fromBase64): { keyId: string; bytes: Uint8Array } | null {
  if (!stored.startsWith(PREFIX)) return null;
  const dot = stored.indexOf(".", PREFIX.length);
  const bytes = dot > 0 ? decode(stored.slice(dot + 1)) : null;
  if (!bytes || bytes.length < IV_BYTES + 16) throw new SealError("a sealed value is damaged");
  return { keyId: stored.slice(PREFIX.length, dot), bytes };
}

export function sealedValue(keyId: string, iv: Uint8Array, sealed: Uint8Array, encode: (bytes: Uint8Array) => string = toBase64): string {
  const bytes = new Uint8Array(iv.length + sealed.length);
  bytes.set(iv);
  bytes.set(sealed, iv.length);
  return `${PREFIX}${keyId}.${encode(bytes)}`;
}

/** The key a value names, or a clear error when the keyring does not hold it (a key was lost or not set). */
export function keyFor(ring: Keyring, keyId: string): DataKey {
  const key = ring.keys.get(keyId);
  if (!key) throw new SealError(`a value is sealed with data key ${keyId}, which is neither DATA_KEY nor in DATA_KEY_PREVIOUS`);
  return key;
}

export function unopenable(column: SealedColumn, keyId: string): SealError {
  return new SealError(`a sealed value of ${column} does not open with data key ${keyId} (damaged or moved)`);
}

/** SQL matching stored values of a column that are not sealed with `keyId` (and are not empty): what to re-seal. */
export function notSealedWith(column: string, keyId: string): string {
  return `${column} NOT LIKE '${PREFIX}${keyId}.%' AND ${column} NOT IN (${EMPTY_SQL})`;
}

/** SQL counting a column's non-empty values by the key that sealed them ("plain": written before encryption). */
export function keysInUseQuery(table: string, column: string): string {
  return `SELECT CASE WHEN ${column} LIKE '${PREFIX}%' THEN substr(${column}, ${PREFIX.length + 1}, 8) ELSE 'plain' END AS k, COUNT(*) AS n
          FROM ${table} WHERE ${column} NOT IN (${EMPTY_SQL}) GROUP BY k`;
}

/** Adds a column's counts (rows of keysInUseQuery) to a total. */
export function addKeyCounts(total: Record<string, number>, rows: readonly { k: string; n: number }[]): Record<string, number> {
  for (const { k, n } of rows) total[k] = (total[k] ?? 0) + n;
  return total;
}

export const IV_LENGTH = IV_BYTES;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
export const columnData = (column: SealedColumn) => encoder.encode(column);

/** AES-256-GCM through WebCrypto: the same on Workers and Node. */
export class WebSealer implements Sealer {
  private readonly imported = new Map<string, Promise<CryptoKey>>();

  constructor(private readonly ring: Keyring) {}

  get keyId(): string {
    return this.ring.current.id;
  }

  private cryptoKey(key: DataKey): Promise<CryptoKey> {
    let imported = this.imported.get(key.id);
    if (!imported) {
      imported = crypto.subtle.importKey("raw", key.raw, "AES-GCM", false, ["encrypt", "decrypt"]);
      this.imported.set(key.id, imported);
    }
    return imported;
  }

  async seal(column: SealedColumn, plain: string): Promise<string> {
    if (isEmptyValue(plain)) return plain;
    const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
    const key = await this.cryptoKey(this.ring.current);
    const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: columnData(column) }, key, encoder.encode(plain));
    return sealedValue(this.ring.current.id, iv, new Uint8Array(sealed));
  }

  async open(column: SealedColumn, stored: string): Promise<string> {
    const parts = sealedParts(stored);
    if (!parts) return stored;
    const key = await this.cryptoKey(keyFor(this.ring, parts.keyId));
    try {
      const plain = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: parts.bytes.subarray(0, IV_BYTES) as Uint8Array<ArrayBuffer>, additionalData: columnData(column) },
        key,
        parts.bytes.subarray(IV_BYTES) as Uint8Array<ArrayBuffer>,
      );
      return decoder.decode(plain);
    } catch {
      throw unopenable(column, parts.keyId);
    }
  }
}
