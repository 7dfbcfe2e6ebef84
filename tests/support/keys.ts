import { keyring, parseDataKey, WebSealer } from "../../src/store/sealing.js";

/** A data key for tests only (never a deployment's): 32 bytes as hex, as an operator writes DATA_KEY. */
export const TEST_DATA_KEY = "7e57da7a".repeat(8);
export const testRing = await keyring(parseDataKey(TEST_DATA_KEY)!);

/** The sealer the D1 store uses on Workers (WebCrypto), with the test key (runs in workerd and on Node). */
export function testWebSealer(): WebSealer {
  return new WebSealer(testRing);
}
