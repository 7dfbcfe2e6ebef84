import { NodeSealer } from "../../src/store/sqlite/node-sealer.js";
import { testRing } from "./keys.js";

export { TEST_DATA_KEY, testRing, testWebSealer } from "./keys.js";

/** The sealer the SQLite store uses on Node, with the test key. */
export function testSealer(): NodeSealer {
  return new NodeSealer(testRing);
}
