import { randomBytes } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { createLogger } from "../log.js";
import { missingKeys, resealOld } from "../rotation.js";
import { configOrExit, databasePath, loadDataKeys, openSqliteStore } from "../runtime-node.js";
import { inUse } from "../store/sqlite/backup.js";
import { toHex } from "../core/base64.js";
import { parseFlags, runCli } from "./args.js";

/**
 * `npm run keys:rotate` re-encrypts every stored value with the current data key and reports which keys the
 * database still needs. With the key file (no DATA_KEY set), `-- --new` first makes a new key the current one
 * (the old one stays readable), and `-- --retire` drops older keys once no value needs them. Stop the service
 * before `--new`: a running service keeps sealing with the key it started with. With DATA_KEY in the
 * environment the service rotates online instead (README, "Rotating the data key").
 */
const USAGE = "usage: npm run keys:rotate [-- --new] [-- --retire]";

/** Rewrites the key file in one step (a crash leaves the old file or the new one, never half of one). */
function writeKeyFile(file: string, lines: readonly string[]): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${lines.join("\n")}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}

async function main(): Promise<number> {
  const flags = parseFlags(process.argv.slice(2));
  const unknown = [...flags.keys()].filter((f) => f !== "new" && f !== "retire");
  if (unknown.length > 0 || process.argv.slice(2).some((a) => !a.startsWith("--"))) {
    console.error(USAGE);
    return 2;
  }
  const config = configOrExit();
  if (config.DATA_KEY && (flags.has("new") || flags.has("retire"))) {
    console.error(
      "DATA_KEY is set in the environment, so the keys are yours to change: set DATA_KEY to a new key (openssl rand -hex 32) and " +
        "DATA_KEY_PREVIOUS to the old one, restart the service (it re-encrypts at start), run `npm run keys:rotate` to confirm, then remove DATA_KEY_PREVIOUS.",
    );
    return 2;
  }
  // A running service keeps sealing with the key it started with: changing the key file under it would strand
  // what it writes next.
  if ((flags.has("new") || flags.has("retire")) && inUse(databasePath(config)) === "open") {
    console.error("The database is open (is the service running?). Stop it first, then run keys:rotate again. Nothing was changed.");
    return 1;
  }
  let keys = await loadDataKeys(config);
  if (flags.has("new")) {
    const old = readFileSync(keys.file, "utf8").split(/\s+/).filter(Boolean);
    writeKeyFile(keys.file, [toHex(randomBytes(32)), ...old]);
    keys = await loadDataKeys(config);
    console.log(`New data key ${keys.ring.current.id} in ${keys.file}; the previous ones are kept until --retire.`);
  }
  const store = openSqliteStore(keys, config);
  try {
    const missing = await missingKeys(store, keys.ring);
    if (missing.length > 0) {
      console.error(`The database holds values sealed with data key ${missing.join(", ")}, which this keyring does not have. Nothing was changed.`);
      return 1;
    }
    const resealed = await resealOld(store, createLogger("silent"));
    const inUse = await store.keysInUse();
    console.log(`Re-encrypted ${resealed} values with data key ${keys.ring.current.id}.`);
    console.log(`Values by data key: ${JSON.stringify(inUse)}`);
    const older = [...keys.ring.keys.keys()].filter((id) => id !== keys.ring.current.id);
    if (older.some((id) => inUse[id])) {
      console.error("Some values are still under an older key (was the service writing meanwhile?): run keys:rotate again.");
      return 1;
    }
    if (flags.has("retire") && keys.source !== "DATA_KEY") {
      writeKeyFile(keys.file, [toHex(keys.ring.current.raw)]);
      console.log(`Retired ${older.length} older key(s) from ${keys.file}. Keep a copy of the file: without it nothing stored can be read.`);
    } else if (older.length > 0) {
      console.log(`No value needs the older key(s) ${older.join(", ")} any more: ${config.DATA_KEY ? "remove DATA_KEY_PREVIOUS" : "run with -- --retire to drop them"}.`);
    }
    return 0;
  } finally {
    await store.close();
  }
}

runCli("keys:rotate", main);
