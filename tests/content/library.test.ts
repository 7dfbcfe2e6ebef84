import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { loadCatalogue, PROJECT_ROOT } from "../../src/catalog/files.js";
import { ContentCheckError } from "../../src/core/content-check.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/log.js";
import { createNodeAssistant } from "../../src/runtime-node.js";
import { createService } from "../../src/service.js";
import { tempDir } from "../support/temp.js";

/**
 * The real library through its commands: `content:check` passes on the repository and fails on a broken copy,
 * naming the file; `content:report` shows the gap; start-up refuses a broken library.
 */
const run = promisify(execFile);
const TSX = join(PROJECT_ROOT, "node_modules", ".bin", "tsx");
function copyOfCatalogue(): string {
  const dir = tempDir("content");
  cpSync(join(PROJECT_ROOT, "intents"), join(dir, "intents"), { recursive: true });
  cpSync(join(PROJECT_ROOT, "content"), join(dir, "content"), { recursive: true });
  return dir;
}

async function cli(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(TSX, [join(PROJECT_ROOT, "src", "cli", script), ...args], { cwd: PROJECT_ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("the content library on disk", () => {
  it("passes content:check as it is in the repository", async () => {
    const result = await cli("content-check.ts", []);
    expect(result.stdout).toMatch(/: 0 errors, \d+ warnings\n$/);
    expect(result.code).toBe(0);
  });

  it("fails content:check on a broken copy, naming each file and problem", async () => {
    const root = copyOfCatalogue();
    const en = join(root, "content", "urgent.danger", "en.md");
    writeFileSync(en, readFileSync(en, "utf8").replaceAll("{{numbers}}", "Call 112."));
    const pt = join(root, "content", "help.health", "pt.md");
    writeFileSync(pt, readFileSync(pt, "utf8").replace(/^title: .*$/m, "title:"));
    rmSync(join(root, "content", "help.shelter", "ht.MX.md"));
    const result = await cli("content-check.ts", ["--root", root]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("error   content/help.health/pt.md: title:");
    expect(result.stdout).not.toContain("ht.MX.md"); // files that do not load are reported first, alone
    writeFileSync(pt, readFileSync(join(PROJECT_ROOT, "content", "help.health", "pt.md"), "utf8"));
    const second = (await cli("content-check.ts", ["--root", root])).stdout;
    expect(second).toContain("error   content/help.shelter/ht.MX.md: missing");
    expect(second).toContain("error   content/urgent.danger/en.md: numbers are listed but the body has no {{numbers}}");
    expect(second).toMatch(/error {3}content\/urgent\.danger\/en\.md: numbers \(112\) differ from content\/urgent\.danger\/es\.md/);
  });

  it("prints the coverage matrix, with a missing translation and a review past due", async () => {
    const root = copyOfCatalogue();
    rmSync(join(root, "content", "help.shelter", "fr.GT.md"));
    const result = await cli("content-report.ts", ["--root", root, "--today", "2026-11-26", "--out", join(root, "report.md")]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\| help\.shelter · GT \| 📝 \| 📝 \| ❌ \| 📝 \| 📝 \|$/m);
    expect(result.stdout).toMatch(/^\| risk\.darien \| (📝|✅|⏰) \|/m);
    expect(result.stdout).toMatch(/^\| PA \| emergency 911/m);
    expect(readFileSync(join(root, "report.md"), "utf8")).toBe(result.stdout);
  });

  it("refuses to start on a broken library, naming the file", async () => {
    const root = copyOfCatalogue();
    const es = join(root, "content", "risk.darien", "es.md");
    writeFileSync(es, readFileSync(es, "utf8").replace(/^summary: .*$/m, `summary: "${"x".repeat(400)}"`));
    await expect(createNodeAssistant({ fastText: false, root })).rejects.toThrow(/content\/risk\.darien\/es\.md: summary/);
    const us = join(root, "content", "countries", "US.yml");
    writeFileSync(es, readFileSync(join(PROJECT_ROOT, "content", "risk.darien", "es.md"), "utf8"));
    rmSync(us);
    await expect(createNodeAssistant({ fastText: false, root })).rejects.toThrow(ContentCheckError);
    await expect(createNodeAssistant({ fastText: false, root })).rejects.toThrow(/content\/countries\/US\.yml: missing/);
  });

  it("starts the server only on a library fit to serve: a broken file stops `npm start` with its name", async () => {
    const root = copyOfCatalogue();
    writeFileSync(join(root, "content", "help.gbv", "fr.md"), "---\nintent: help.gbv\n---\n");
    const data = tempDir("data");
    const started = await run(TSX, [join(PROJECT_ROOT, "src", "node.ts")], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, CATALOGUE_DIR: root, DATA_DIR: data, PORT: "18999", FASTTEXT: "off", LOG_LEVEL: "silent" },
      timeout: 60_000,
    }).then(
      () => ({ code: 0, stderr: "" }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(started.code).toBe(1);
    expect(started.stderr).toContain("content/help.gbv/fr.md:");
  });

  it("serves with a review past due, and says so in /health and the log", async () => {
    const root = copyOfCatalogue();
    const file = join(root, "content", "help.health", "ht.md");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace(/^reviewed_at: .*$/m, "reviewed_at: 2025-10-01").replace(/^review_due: .*$/m, "review_due: 2026-04-01").replace(/^status: .*$/m, "status: reviewed"),
    );
    const assistant = await createNodeAssistant({ fastText: false, root });
    expect(assistant.contentWarnings).toContainEqual({ level: "warning", origin: "content/help.health/ht.md", message: "review was due on 2026-04-01" });
    const lines: string[] = [];
    const logger = createLogger("info", (line) => lines.push(line));
    const service = await createService(loadConfig({ DATA_DIR: tempDir("data"), INTERPRETER_THREADS: "0", FASTTEXT: "off" }), logger, {
      assistant,
      databasePath: ":memory:",
    });
    try {
      const health = (await (await service.app.request("/health")).json()) as { content: { reviewsDue: string[]; reviewed: number } };
      expect(health.content.reviewsDue).toEqual(["content/help.health/ht.md: review was due on 2026-04-01"]);
      expect(health.content.reviewed).toBe(1);
      expect(lines.some((l) => l.includes("content.review_overdue") && l.includes("content/help.health/ht.md"))).toBe(true);
    } finally {
      await service.close();
    }
  });

  it("loads the same library the check approved", () => {
    const catalogue = loadCatalogue();
    expect(catalogue.content.length).toBeGreaterThanOrEqual(29 * 5 + 3 * 7 * 5);
    expect(catalogue.countries?.map((c) => c.country).sort()).toEqual(["CO", "CR", "GT", "HN", "MX", "PA", "US"]);
  });
});
