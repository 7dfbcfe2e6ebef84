import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

/**
 * Temporary directories for a test file, removed once its tests are done (a hook registered for each file that
 * imports this module: vitest loads it again for every file). Nothing the tests write is left in /tmp. For test
 * files only: outside vitest the hook cannot be registered (the benchmarks and the fuzzer make their own).
 */
const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A new empty directory, /tmp/brujula-<name>-XXXXXX. */
export function tempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `brujula-${name}-`));
  made.push(dir);
  return dir;
}
