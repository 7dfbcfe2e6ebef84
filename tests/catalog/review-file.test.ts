import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCatalogue, PROJECT_ROOT } from "../../src/catalog/files.js";
import { FileReviewSink } from "../../src/catalog/review-file.js";
import type { ReviewEntry } from "../../src/core/insights/model.js";
import { tempDir } from "../support/temp.js";

/** A catalogue root of its own (intents/ and content/ copied), as CATALOGUE_DIR points the service at one. */
function catalogueRoot(): string {
  const root = tempDir("review");
  cpSync(join(PROJECT_ROOT, "intents"), join(root, "intents"), { recursive: true });
  cpSync(join(PROJECT_ROOT, "content"), join(root, "content"), { recursive: true });
  return root;
}

const entry = (text: string, lang: ReviewEntry["lang"] = "ht"): ReviewEntry => ({ lang, text, kind: "fallback", suggestedIntent: "help.basic_needs", score: 0.31, day: "2026-11-20" });
const lines = (path: string) => readFileSync(path, "utf8").split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Record<string, unknown>);

describe("the review file under intents/review/", () => {
  it("appends chosen questions as JSON lines per language, once each, and the catalogue still loads", async () => {
    const root = catalogueRoot();
    const before = loadCatalogue(root).intents.length;
    const sink = new FileReviewSink(root, () => new Date("2026-11-26T09:00:00Z"));

    expect(await sink.add([entry("konbyen kòb bis la ye pou Monterrey"), entry("gen wifi gratis isit la?"), entry("gen wifi gratis isit la?")])).toEqual({ file: join("intents", "review", "ht.jsonl"), added: 2 });
    const file = join(root, "intents", "review", "ht.jsonl");
    expect(lines(file)).toEqual([
      { lang: "ht", text: "konbyen kòb bis la ye pou Monterrey", kind: "fallback", suggestedIntent: "help.basic_needs", score: 0.31, day: "2026-11-20", addedOn: "2026-11-26" },
      { lang: "ht", text: "gen wifi gratis isit la?", kind: "fallback", suggestedIntent: "help.basic_needs", score: 0.31, day: "2026-11-20", addedOn: "2026-11-26" },
    ]);

    // Chosen again with a new one: only the new one is added; another language has its own file.
    expect(await sink.add([entry("gen wifi gratis isit la?"), entry("kote ki gen wifi gratis")])).toMatchObject({ added: 1 });
    expect(await sink.add([entry("¿hay wifi gratis en el albergue?", "es")])).toEqual({ file: join("intents", "review", "es.jsonl"), added: 1 });
    expect(lines(file).map((l) => l.text)).toEqual(["konbyen kòb bis la ye pou Monterrey", "gen wifi gratis isit la?", "kote ki gen wifi gratis"]);

    expect(loadCatalogue(root).intents.length).toBe(before);
  });

  it("keeps whole lines after a person edited the file, and skips the lines they broke", async () => {
    const root = catalogueRoot();
    const sink = new FileReviewSink(root);
    await sink.add([entry("kote pou m chaje telefòn")]);
    const file = join(root, "intents", "review", "ht.jsonl");
    // Saved by an editor: a note, no newline at the end.
    writeFileSync(file, `${readFileSync(file, "utf8")}not json: moved two to help.basic_needs`);
    expect(await sink.add([entry("kote pou m chaje telefòn"), entry("mwen bezwen chaje telefòn mwen")])).toMatchObject({ added: 1 });
    const raw = readFileSync(file, "utf8").split("\n");
    expect(raw[1]).toBe("not json: moved two to help.basic_needs");
    expect(JSON.parse(raw[2]!)).toMatchObject({ text: "mwen bezwen chaje telefòn mwen" });
  });

  it("writes nothing for no entries", async () => {
    const root = catalogueRoot();
    expect(await new FileReviewSink(root).add([])).toEqual({ file: join("intents", "review"), added: 0 });
    expect(existsSync(join(root, "intents", "review"))).toBe(false);
  });
});
