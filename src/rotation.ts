import type { Store } from "./core/store/store.js";
import type { Logger } from "./log.js";
import type { Keyring } from "./store/sealing.js";

/**
 * Data key rotation, the same on Node (at start, and `npm run keys:rotate`) and Workers (cron): values sealed
 * with a previous key, or stored before encryption, are re-encrypted with the current key in small batches, so
 * that the previous key can then be removed.
 */
export async function resealOld(store: Store, logger: Logger, options: { batch?: number; maxBatches?: number } = {}): Promise<number> {
  const batch = options.batch ?? 500;
  let total = 0;
  for (let i = 0; i < (options.maxBatches ?? Infinity); i++) {
    const done = await store.reseal(batch);
    total += done;
    if (done < batch) break;
  }
  if (total > 0) logger.info("keys.resealed", { values: total });
  return total;
}

/**
 * The keys the stored values need that the keyring lacks (a lost key file, a DATA_KEY set to a new value without
 * DATA_KEY_PREVIOUS): each is a part of the database nobody can read any more. Empty when all is well.
 */
export async function missingKeys(store: Store, ring: Keyring): Promise<string[]> {
  return keysMissing(await store.keysInUse(), ring);
}

/** The same, from counts already read (`Store.keysInUse`). */
export function keysMissing(inUse: Record<string, number>, ring: Keyring): string[] {
  return Object.keys(inUse).filter((id) => id !== "plain" && !ring.keys.has(id));
}

/** Whether any stored value is under a key other than the current one, or stored before encryption. */
export function needsReseal(inUse: Record<string, number>, ring: Keyring): boolean {
  return Object.keys(inUse).some((id) => id !== ring.current.id);
}
