import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/catalog/files.js";

/**
 * `npm run bench:soak`, for six seconds at a gentle rate: the script keeps working (server, load, rows, drain,
 * verdict). Its figures are read from real runs, not here; a run this short does not judge memory growth.
 */
describe("npm run bench:soak", () => {
  it("holds a short mixed load, prints its rows and a PASS with nothing lost", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", join(PROJECT_ROOT, "src/cli/bench-soak.ts"), "--minutes", "0.1", "--rate", "40", "--every", "2"], {
      cwd: PROJECT_ROOT,
      encoding: "utf8",
      env: { ...process.env, FASTTEXT: "off", INTERPRETER_THREADS: "0" },
      timeout: 50_000,
    });
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines.filter((l) => /^\s+\d+(\.\d)?\s+\d+\s+\d+\s+\d+\s+0\s/.test(l)).length).toBeGreaterThanOrEqual(3);
    expect(result.stdout).toMatch(/errors: 0; lost replies: 0/);
    expect(lines.at(-2)).toMatch(/^PASS: /);
  }, 60_000);
});
