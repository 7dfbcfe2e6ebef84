import { createHmac } from "node:crypto";
import type { Hmac } from "./core/hmac.js";

/** HMAC with node:crypto, synchronously on the calling thread (see src/core/hmac.ts). */
export const nodeHmac: Hmac = (hash, key, data) => createHmac(hash === "SHA-1" ? "sha1" : "sha256", key).update(data, "utf8").digest();
