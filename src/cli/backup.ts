import { chmodSync, existsSync, mkdirSync, realpathSync, renameSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { configOrExit, databasePath, secretLocations } from "../runtime-node.js";
import { checkCopy, copyOnline, removeDatabaseFile } from "../store/sqlite/backup.js";
import { parseSwitches, runCli } from "./args.js";

/**
 * `npm run backup -- <file> [--force]` copies DATA_DIR/brujula.sqlite while the service runs (SQLite's online
 * backup: a consistent snapshot, the service keeps writing), checks the copy and only then puts it in place.
 * The values that identify people stay encrypted in it; the data key and the id secret are not in it, on
 * purpose: a copied backup alone opens nothing. Restoring: `npm run restore` (README, "Backup and restore").
 */
const USAGE = "usage: npm run backup -- <file> [--force]   (--force replaces an existing file)";

const size = (bytes: number) => (bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`);
const duration = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

async function main(): Promise<number> {
  const args = parseSwitches(process.argv.slice(2), ["force"]);
  if (!args || args.positional.length !== 1) {
    console.error(USAGE);
    return 2;
  }
  const config = configOrExit();
  const source = databasePath(config);
  const destination = resolve(args.positional[0]!);
  if (!existsSync(source)) {
    console.error(`No database at ${source}: nothing to back up. Is DATA_DIR (${resolve(config.DATA_DIR)}) the service's?`);
    return 1;
  }
  if (existsSync(destination)) {
    if (statSync(destination).isDirectory()) {
      console.error(`${destination} is a directory: give the backup's file name, e.g. ${join(destination, "brujula.sqlite")}`);
      return 1;
    }
    if (!args.switches.has("force")) {
      console.error(`${destination} already exists: choose another name, or add --force to replace it.`);
      return 1;
    }
  }
  // The backup holds people's data (encrypted): directories made for it are its owner's only, like the file.
  mkdirSync(dirname(destination), { recursive: true, mode: 0o700 });
  if (join(realpathSync(dirname(destination)), basename(destination)) === realpathSync(source)) {
    console.error(`${destination} is the service's database itself: back up to another file.`);
    return 1;
  }
  // Beside the destination, so that the rename is atomic (same file system): the destination is either the
  // previous file or the whole checked copy, never half a backup.
  const temporary = join(dirname(destination), `.${basename(destination)}.${process.pid}.tmp`);
  const started = performance.now();
  try {
    // Created empty first with owner-only permissions: SQLite would create the file readable by all.
    writeFileSync(temporary, "", { mode: 0o600, flag: "wx" });
    await copyOnline(source, temporary);
    const copy = checkCopy(temporary);
    if ("problem" in copy) {
      console.error(`The copy of ${source} failed its check (${copy.problem}); nothing was written to ${destination}. Run \`sqlite3 ${source} "PRAGMA integrity_check"\` to see the damage.`);
      return 1;
    }
    chmodSync(temporary, 0o600);
    renameSync(temporary, destination);
    const took = duration(performance.now() - started);
    const { dataKey, idSecret } = secretLocations(config);
    console.log(
      `Backup written to ${destination} (${size(statSync(destination).size)}, ${copy.pages} pages, ${took}). ` +
        `NOT in it: the data key (${dataKey.where}) and the id secret (${idSecret.where}); keep copies of both apart from the backup: without the data key it cannot be read.`,
    );
    return 0;
  } finally {
    removeDatabaseFile(temporary);
  }
}

runCli("backup", main);
