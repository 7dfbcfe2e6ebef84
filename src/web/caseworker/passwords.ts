import { fromBase64 as unbase64, toBase64 as base64 } from "../../core/base64.js";

/**
 * Caseworker passwords, hashed with PBKDF2-HMAC-SHA-256 through WebCrypto, so that the same code signs people in
 * on Node and on Workers. 600,000 iterations (OWASP's figure for PBKDF2-SHA-256), derived as 6 chained rounds of
 * 100,000 — the most one WebCrypto call takes on Workers — each round's key feeding the next; measured ~11 ms a
 * round in workerd and ~20 ms on Node here (`tests/web/passwords.test.ts` prints it), so a sign-in costs ~70 ms
 * of CPU on Workers: inside the paid plan's budget, not the free plan's 10 ms. Stored as
 * "pbkdf2-sha256$<iterations per round>x<rounds>$salt$hash" so the cost can be raised later.
 *
 * Hashes of the first version ("scrypt$N$r$p$salt$hash") still verify on Node, through the verifier the Node
 * runtime registers (src/runtime-node.ts); Workers cannot run scrypt without nodejs_compat, so an account still
 * on scrypt signs in on Node once, or gets a new password with `npm run caseworker:add`.
 */
const ITERATIONS_PER_ROUND = 100_000;
const ROUNDS = 6;
const KEY_BITS = 256;
export const MIN_PASSWORD_LENGTH = 12;
/** The sign-in form accepts no more (a cap on the hashing input); the account command refuses longer ones. */
export const MAX_PASSWORD_LENGTH = 200;

const encoder = new TextEncoder();



async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number, rounds: number): Promise<Uint8Array<ArrayBuffer>> {
  let material: Uint8Array<ArrayBuffer> = encoder.encode(password.normalize("NFKC"));
  for (let round = 0; round < rounds; round++) {
    const key = await crypto.subtle.importKey("raw", material, "PBKDF2", false, ["deriveBits"]);
    material = new Uint8Array(await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, KEY_BITS));
  }
  return material;
}

/** Equal in constant time for equal lengths. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const key = await derive(password, salt, ITERATIONS_PER_ROUND, ROUNDS);
  return `pbkdf2-sha256$${ITERATIONS_PER_ROUND}x${ROUNDS}$${base64(salt)}$${base64(key)}`;
}

type LegacyVerifier = (password: string, stored: string) => Promise<boolean>;
const legacy = new Map<string, LegacyVerifier>();

/** A runtime that can check an older scheme registers it here (Node: scrypt). */
export function registerPasswordScheme(scheme: string, verify: LegacyVerifier): void {
  legacy.set(scheme, verify);
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, cost, salt, hash] = stored.split("$");
  if (scheme !== "pbkdf2-sha256") return legacy.get(scheme ?? "")?.(password, stored) ?? false;
  const match = /^(\d+)x(\d+)$/.exec(cost ?? "");
  const saltBytes = unbase64(salt ?? "");
  const expected = unbase64(hash ?? "");
  if (!match || !saltBytes || !expected) return false;
  const iterations = Number(match[1]);
  const rounds = Number(match[2]);
  // A stored cost beyond what this code writes is not ours: refuse rather than burn the CPU budget.
  if (iterations < 1 || iterations > ITERATIONS_PER_ROUND || rounds < 1 || rounds > 20) return false;
  return sameBytes(await derive(password, saltBytes, iterations, rounds), expected);
}

/** A password that verifies against nothing, to spend the same time when the username does not exist. */
export const DUMMY_HASH = `pbkdf2-sha256$${ITERATIONS_PER_ROUND}x${ROUNDS}$${base64(new Uint8Array(16))}$${base64(new Uint8Array(KEY_BITS / 8))}`;
