import { chmodSync, constants, copyFileSync, existsSync, mkdirSync, renameSync } from "node:fs";
import { join, resolve } from "node:path";
import { missingKeys } from "../rotation.js";
import { configOrExit, DATABASE_FILE, databasePath, loadDataKeys, openSqliteStore, secretLocations } from "../runtime-node.js";
import { checkCopy, inUse, moveDatabaseFile, removeDatabaseFile } from "../store/sqlite/backup.js";
import { parseSwitches, runCli } from "./args.js";

/**
 * `npm run restore -- <backup file>`, with the service stopped, puts a backup made by `npm run backup` in place of
 * DATA_DIR/brujula.sqlite. Everything is checked before anything is touched: the backup (integrity, schema),
 * that the data key in place opens it, that the id secret is there, and that no process has the database open.
 * The database it replaces is kept beside it as brujula.sqlite.before-restore-<time>, with its -wal and -shm.
 */
const USAGE = "usage: npm run restore -- <backup file>   (stop the service first)";

async function main(): Promise<number> {
  const args = parseSwitches(process.argv.slice(2), []);
  if (!args || args.positional.length !== 1) {
    console.error(USAGE);
    return 2;
  }
  const config = configOrExit();
  const backup = resolve(args.positional[0]!);
  const target = databasePath(config);
  if (!existsSync(backup)) {
    console.error(`No file at ${backup}: nothing was changed.`);
    return 1;
  }
  // Without these the restored data is lost all the same: unreadable without the data key, and without the id
  // secret nobody would be recognised (a new one would be generated and every person's history orphaned).
  const { dataKey, idSecret } = secretLocations(config);
  if (!dataKey.present || !idSecret.present) {
    const absent = [!dataKey.present && `the data key (${dataKey.where})`, !idSecret.present && `the id secret (${idSecret.where})`].filter(Boolean);
    console.error(`Missing ${absent.join(" and ")}: put in place ${absent.length > 1 ? "those" : "the one"} the backup was made with, then restore again. Nothing was changed.`);
    return 1;
  }
  mkdirSync(config.DATA_DIR, { recursive: true });
  // Checked as a copy inside DATA_DIR: the backup itself is never modified, the bytes checked are the bytes that
  // go in place, and the final rename is atomic (same file system).
  const staged = join(config.DATA_DIR, `.${DATABASE_FILE}.restoring-${process.pid}`);
  try {
    copyFileSync(backup, staged, constants.COPYFILE_EXCL);
    chmodSync(staged, 0o600);
    const copy = checkCopy(staged);
    if ("problem" in copy) {
      console.error(`${backup} cannot be restored (${copy.problem}). Nothing was changed.`);
      return 1;
    }
    const keys = await loadDataKeys(config);
    // Opening it as the service does also applies the migrations of a newer version to the copy.
    const store = openSqliteStore(keys, config, staged);
    const missing = await missingKeys(store, keys.ring).finally(() => store.close());
    if (missing.length > 0) {
      console.error(`${backup} holds values sealed with data key ${missing.join(", ")}, which ${dataKey.where} does not have: put in place the data key the backup was made with. Nothing was changed.`);
      return 1;
    }
    const current = inUse(target);
    if (current === "open") {
      console.error(`A process (the service?) has ${target} open: stop it, then restore again. Nothing was changed.`);
      return 1;
    }
    let kept = "";
    if (current !== "absent") {
      const aside = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, "-")}`;
      moveDatabaseFile(target, aside);
      kept = ` The database it replaces is kept as ${aside}${current === "closed" ? "" : ` (it could not be read: ${current.unreadable})`}.`;
    }
    renameSync(staged, target);
    console.log(`Restored ${backup} into ${target} (${copy.pages} pages, migration ${copy.migration}); it reads with the data key in ${dataKey.where}.${kept} Start the service.`);
    return 0;
  } finally {
    removeDatabaseFile(staged);
  }
}

runCli("restore", main);
