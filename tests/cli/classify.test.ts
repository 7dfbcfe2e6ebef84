import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/catalog/files.js";

/** The eval contract, through the real command: JSON lines in, JSON lines out, in order, nothing else on stdout. */
function classify(input: string) {
  const result = spawnSync(process.execPath, ["--import", "tsx", join(PROJECT_ROOT, "src/cli/classify.ts")], {
    input,
    encoding: "utf8",
    cwd: PROJECT_ROOT,
    timeout: 60_000,
  });
  return { status: result.status, lines: result.stdout.split("\n").filter((l) => l !== ""), stderr: result.stderr };
}

describe("npm run classify", () => {
  it("writes one line per input, in order, with exactly the contract's fields", () => {
    const input = [
      { text: "me quieren matar ayuda" },
      { text: "kijan pou m mande azil nan Meksik" },
      { text: "who won the football match yesterday" },
    ]
      .map((l) => JSON.stringify(l))
      .join("\n");
    const { status, lines } = classify(`${input}\n`);
    expect(status).toBe(0);
    expect(lines).toHaveLength(3);
    const rows = lines.map((l) => JSON.parse(l));
    for (const row of rows) expect(Object.keys(row)).toEqual(["text", "lang", "intent", "confidence", "handoff", "country"]);
    expect(rows[0]).toMatchObject({ text: "me quieren matar ayuda", lang: "es", handoff: true });
    expect(rows[0].intent).toMatch(/^urgent\./);
    expect(rows[1]).toMatchObject({ lang: "ht", country: "MX", handoff: false });
    expect(rows[1].intent).toMatch(/^protection\.asylum/);
    expect(rows[2]).toMatchObject({ lang: "en", intent: null, handoff: false, country: null });
  });

  it("keeps alignment when a line is not valid JSON, and says why on stderr", () => {
    const { status, lines, stderr } = classify('{"text": "hola"}\nnot json\n{"text": "obrigado"}\n');
    expect(status).toBe(0);
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[1]!).intent).toBeNull();
    expect(stderr).toContain("line 2");
  });
});
