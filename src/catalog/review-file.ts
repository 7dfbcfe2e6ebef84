import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { reviewLines, type ReviewEntry, type ReviewSink } from "../core/insights/model.js";
import { LANGS, type Lang } from "../core/languages.js";

/**
 * Where a supervisor's chosen questions go on Node: intents/review/<lang>.jsonl, one JSON object a line, for a
 * person to turn into examples (moving them into intents/<id>.json) and commit. JSON Lines and never `.json`:
 * every *.json under intents/ is read as an intent file at start-up, and a review file must not stop the service.
 */
export const REVIEW_DIR = join("intents", "review");

function read(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "";
    throw error;
  }
}

/** The texts a review file already holds (lines a person broke while editing are skipped, not fatal). */
function textsIn(content: string): Set<string> {
  const texts = new Set<string>();
  for (const line of content.split("\n")) {
    try {
      const entry = JSON.parse(line) as { text?: unknown };
      if (typeof entry.text === "string") texts.add(entry.text);
    } catch {
      // Not an entry: left as it is.
    }
  }
  return texts;
}

export class FileReviewSink implements ReviewSink {
  /** `root`: the folder holding intents/ (CATALOGUE_DIR, or the project). */
  constructor(
    private readonly root: string,
    private readonly today: () => Date = () => new Date(),
  ) {}

  /** Appends the entries not already in their language's file; synchronous inside, so two requests never interleave. */
  async add(entries: readonly ReviewEntry[]): Promise<{ file: string; added: number }> {
    const addedOn = this.today().toISOString().slice(0, 10);
    const files: string[] = [];
    let added = 0;
    const langs = [...new Set(entries.map((e) => e.lang))].sort();
    for (const lang of langs) {
      // The language names the file: only a known code ever becomes part of a path.
      if (!LANGS.includes(lang)) throw new Error(`not a language: ${String(lang)}`);
      const file = join(REVIEW_DIR, `${lang satisfies Lang}.jsonl`);
      const path = join(this.root, file);
      mkdirSync(join(this.root, REVIEW_DIR), { recursive: true });
      const content = read(path);
      const seen = textsIn(content);
      const fresh = entries.filter((e) => e.lang === lang && !seen.has(e.text) && (seen.add(e.text), true));
      // A file saved by an editor without its last newline still gets whole lines.
      const separator = content === "" || content.endsWith("\n") ? "" : "\n";
      if (fresh.length > 0) appendFileSync(path, separator + reviewLines(fresh, addedOn));
      files.push(file);
      added += fresh.length;
    }
    return { file: files.length > 0 ? files.join(", ") : REVIEW_DIR, added };
  }
}
