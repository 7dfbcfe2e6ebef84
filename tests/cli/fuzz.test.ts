import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/catalog/files.js";
import { FUZZ_KINDS, fuzzRequest } from "../../src/cli/fuzz-requests.js";

/** `npm run fuzz`, kept working: a short run against the real server, and the generator's promises to the sender. */
describe("npm run fuzz", () => {
  it("attacks the real server with 300 requests: no 5xx, no connection error, the server still alive", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", join(PROJECT_ROOT, "src/cli/fuzz.ts"), "--count", "300", "--concurrency", "4"], {
      encoding: "utf8",
      cwd: PROJECT_ROOT,
      timeout: 50_000,
    });
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.stdout, output).toMatch(/seed \d+/);
    expect(result.stdout, output).toContain("server alive after the run: yes");
    expect(result.stdout, output).toContain("server stopped on SIGTERM: exit 0");
    expect(result.stdout, output).toMatch(/5xx: 0 +connection errors: 0/);
    expect(result.status, output).toBe(0);
  });

  it("makes the same request from the same seed and index, of every kind, sendable over HTTP", () => {
    const seed = 12345;
    const requests = Array.from({ length: 600 }, (_, i) => fuzzRequest(seed, i, 64 * 1024));
    expect(fuzzRequest(seed, 42, 64 * 1024)).toEqual(requests[42]);
    expect(new Set(requests.map((r) => r.kind))).toEqual(new Set(FUZZ_KINDS));
    for (const r of requests) {
      // What Node's HTTP client accepts: a path and header values of printable ASCII, no body on GET or HEAD.
      expect(r.path).toMatch(/^\/[\x21-\x7e]*$/);
      for (const [name, value] of r.headers) expect(`${name}: ${value}`).toMatch(/^[a-z-]+: [\x20-\x7e]*$/);
      if (r.method === "GET" || r.method === "HEAD") expect(r.body).toBeUndefined();
    }
  });
});
