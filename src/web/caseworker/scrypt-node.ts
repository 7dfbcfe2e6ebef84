import { scrypt, timingSafeEqual } from "node:crypto";
import { registerPasswordScheme } from "./passwords.js";

/** Node only: hashes of the first version ("scrypt$N$r$p$salt$hash") keep verifying (see passwords.ts). */
registerPasswordScheme("scrypt", async (password, stored) => {
  const [, n, r, p, salt, hash] = stored.split("$");
  const N = Number(n);
  const R = Number(r);
  const P = Number(p);
  if (!salt || !hash || !(N >= 2 && N <= 2 ** 20 && R >= 1 && R <= 32 && P >= 1 && P <= 16)) return false;
  const expected = Buffer.from(hash, "base64");
  const key = await new Promise<Buffer>((resolve, reject) =>
    scrypt(password.normalize("NFKC"), Buffer.from(salt, "base64"), expected.length || 32, { N, r: R, p: P, maxmem: 256 * N * R }, (error, derived) =>
      error ? reject(error) : resolve(derived),
    ),
  );
  return key.length === expected.length && timingSafeEqual(key, expected);
});
