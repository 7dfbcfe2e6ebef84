import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { columnData, isEmptyValue, IV_LENGTH, keyFor, sealedParts, unopenable, sealedValue, type Keyring, type SealedColumn, type SyncSealer } from "../sealing.js";

const TAG_BYTES = 16;
/** Random IVs are drawn this many bytes at a time: one call into OpenSSL per 340 values instead of one each. */
const IV_POOL_BYTES = 340 * IV_LENGTH;
// Node's own base64 (native): the web-platform one in src/core/base64.ts loops in JavaScript, and this runs on
// every message.
const encode = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
const decode = (base64: string) => (/^[A-Za-z0-9+/]*={0,2}$/.test(base64) ? Buffer.from(base64, "base64") : null);

/**
 * AES-256-GCM with node:crypto, in the format of src/store/sealing.ts. better-sqlite3's transactions are
 * synchronous: sealing inside one cannot await WebCrypto without giving up the transaction.
 */
export class NodeSealer implements SyncSealer {
  private ivs: Buffer = Buffer.alloc(0);
  private ivAt = 0;

  constructor(private readonly ring: Keyring) {}

  /** A fresh random IV. Each pool is a new buffer, never written again, so the IVs handed out stay as they are. */
  private nextIv(): Buffer {
    if (this.ivAt + IV_LENGTH > this.ivs.length) {
      this.ivs = randomBytes(IV_POOL_BYTES);
      this.ivAt = 0;
    }
    this.ivAt += IV_LENGTH;
    return this.ivs.subarray(this.ivAt - IV_LENGTH, this.ivAt);
  }

  get keyId(): string {
    return this.ring.current.id;
  }

  seal(column: SealedColumn, plain: string): string {
    if (isEmptyValue(plain)) return plain;
    const iv = this.nextIv();
    const cipher = createCipheriv("aes-256-gcm", this.ring.current.raw, iv);
    cipher.setAAD(columnData(column));
    const sealed = Buffer.concat([cipher.update(plain, "utf8"), cipher.final(), cipher.getAuthTag()]);
    return sealedValue(this.ring.current.id, iv, sealed, encode);
  }

  open(column: SealedColumn, stored: string): string {
    const parts = sealedParts(stored, decode);
    if (!parts) return stored;
    const key = keyFor(this.ring, parts.keyId);
    const { bytes } = parts;
    try {
      const decipher = createDecipheriv("aes-256-gcm", key.raw, bytes.subarray(0, IV_LENGTH));
      decipher.setAAD(columnData(column));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      return Buffer.concat([decipher.update(bytes.subarray(IV_LENGTH, bytes.length - TAG_BYTES)), decipher.final()]).toString("utf8");
    } catch {
      throw unopenable(column, parts.keyId);
    }
  }
}
