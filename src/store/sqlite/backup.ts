import Database from "better-sqlite3";
import { existsSync, renameSync, rmSync } from "node:fs";

/**
 * Copies of the SQLite file for `npm run backup` and `npm run restore`: taken online, checked, and left as one
 * self-contained file. The copy is page for page, so the sealed values stay sealed: no data key is needed here,
 * and none ends up in a copy.
 */

/** What a checked copy holds. */
export interface CheckedCopy {
  pages: number;
  /** The newest migration applied (a backup from an older version is migrated when the service opens it). */
  migration: string;
}

/** Beside a database file while a connection has it open (WAL) or during a write (rollback journal). */
const COMPANION_SUFFIXES = ["-wal", "-shm", "-journal"] as const;

// better-sqlite3 copies 100 pages per step by default, and any write by another connection between two steps
// restarts the copy from the first page: under a busy service it might never end. One step copies everything
// inside a single read transaction, a consistent snapshot; in WAL mode the service keeps writing meanwhile.
const ALL_PAGES = 0x7fffffff;

/**
 * Copies the database at `source` into `destination` (an empty file, created beforehand with the permissions
 * the copy must have) while other connections may be writing to it.
 */
export async function copyOnline(source: string, destination: string): Promise<void> {
  // Opened read-write although nothing is written: a read-only connection cannot remove the -wal and -shm files
  // it creates beside a stopped service's database, and those would be left owned by whoever ran the backup.
  const db = new Database(source, { fileMustExist: true });
  try {
    await db.backup(destination, { progress: () => ALL_PAGES });
  } finally {
    db.close();
  }
}

/**
 * Checks a copy (SQLite's integrity check, and the schema's migrations table, which every Brújula database has)
 * and switches it out of WAL mode, so that it is one file any sqlite3 opens, even from read-only media.
 * Returns what it holds, or the problem found.
 */
export function checkCopy(path: string): CheckedCopy | { problem: string } {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { fileMustExist: true });
    const problems = (db.pragma("integrity_check") as { integrity_check: string }[]).map((r) => r.integrity_check);
    if (problems.length !== 1 || problems[0] !== "ok") return { problem: `integrity check: ${problems.slice(0, 3).join("; ")}` };
    const migrations = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
    if (!migrations) return { problem: "no schema_migrations table: not a Brújula database" };
    const { migration } = db.prepare("SELECT COALESCE(MAX(version), 'none') AS migration FROM schema_migrations").get() as { migration: string };
    db.pragma("journal_mode = DELETE");
    return { pages: db.pragma("page_count", { simple: true }) as number, migration };
  } catch (error) {
    // A file that is no database at all ("file is not a database") or is damaged beyond the integrity check.
    if (error instanceof Database.SqliteError) return { problem: error.message };
    throw error;
  } finally {
    db?.close();
  }
}

/** Removes a database file that is no longer wanted, with whatever SQLite left beside it. */
export function removeDatabaseFile(path: string): void {
  for (const suffix of ["", ...COMPANION_SUFFIXES]) rmSync(`${path}${suffix}`, { force: true });
}

/**
 * Renames a database file with the files SQLite keeps beside it: a -wal may hold its latest transactions, and
 * a -wal left behind would be read as part of whatever database takes the name next.
 */
export function moveDatabaseFile(from: string, to: string): void {
  for (const suffix of ["", ...COMPANION_SUFFIXES]) if (existsSync(`${from}${suffix}`)) renameSync(`${from}${suffix}`, `${to}${suffix}`);
}

/**
 * Whether another process has the database open. SQLite refuses to take a database out of WAL mode while any
 * other connection is open, idle or not, so asking for it is the probe; when nobody else has it open, the
 * switch checkpoints the WAL into the file, which makes the copy kept aside complete in one file.
 */
export function inUse(path: string): "absent" | "open" | "closed" | { unreadable: string } {
  if (!existsSync(path)) return "absent";
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { fileMustExist: true, timeout: 0 });
    db.pragma("journal_mode = DELETE");
    return "closed";
  } catch (error) {
    if (!(error instanceof Database.SqliteError)) throw error;
    return error.code.startsWith("SQLITE_BUSY") ? "open" : { unreadable: error.message };
  } finally {
    db?.close();
  }
}
