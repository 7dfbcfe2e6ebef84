import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { Catalogue } from "../assistant.js";
import { ContentError, parseContentFile, parseCountryFile, type ContentEntry, type CountryFacts } from "../core/content.js";
import { OUT_OF_SCOPE_FILE, parseIntentFile, parseOutOfScopeFile, type IntentFile } from "../core/intent-examples.js";
import type { Lang } from "../core/languages.js";

/** Reads `intents/` and `content/` from disk (Node only; Workers get the same data bundled at build time). */

export const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function filesUnder(dir: string, extension: string): string[] {
  return safeList(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path, extension);
    return name.endsWith(extension) ? [path] : [];
  });
}

export function loadIntentFiles(root = PROJECT_ROOT): IntentFile[] {
  return filesUnder(join(root, "intents"), ".json")
    .filter((path) => !path.endsWith(OUT_OF_SCOPE_FILE))
    .map((path) => parseIntentFile(relative(root, path), readFileSync(path, "utf8")));
}

/** The out-of-scope counter-examples, or none when the file is absent. */
export function loadOutOfScope(root = PROJECT_ROOT): Partial<Record<Lang, string[]>> {
  const path = join(root, "intents", OUT_OF_SCOPE_FILE);
  let json: string;
  try {
    json = readFileSync(path, "utf8");
  } catch {
    return {};
  }
  return parseOutOfScopeFile(relative(root, path), json);
}

/** Every problem of every file, so that one run lists them all (start-up and `content:check` alike). */
export class ContentFilesError extends Error {
  constructor(readonly problems: readonly ContentError[]) {
    super(`The content library cannot be loaded:\n- ${problems.map((p) => p.message).join("\n- ")}`);
    this.name = "ContentFilesError";
  }
}

function collect<T>(paths: readonly string[], root: string, parse: (origin: string, text: string, path: string) => T, problems: ContentError[]): T[] {
  return paths.flatMap((path) => {
    const origin = relative(root, path);
    try {
      return [parse(origin, readFileSync(path, "utf8"), path)];
    } catch (error) {
      if (!(error instanceof ContentError)) throw error;
      problems.push(error);
      return [];
    }
  });
}

/** The file name says what the front matter says: `content/<intent>/<lang>[.<country>].md`. */
function named(entry: ContentEntry, path: string): ContentEntry {
  const expected = `${entry.lang}${entry.country ? `.${entry.country}` : ""}.md`;
  const folder = basename(join(path, ".."));
  if (folder !== entry.intent || basename(path) !== expected) {
    throw new ContentError(entry.origin, `front matter says ${entry.intent}/${expected}; the file is ${folder}/${basename(path)}`);
  }
  return entry;
}

export interface ContentFiles {
  content: ContentEntry[];
  countries: CountryFacts[];
}

/**
 * Answers (`content/<intent>/*.md`) and country facts (`content/countries/*.yml`). Throws ContentFilesError
 * listing every broken file.
 */
export function loadContentFiles(root = PROJECT_ROOT): ContentFiles {
  const dir = join(root, "content");
  const answerDirs = safeList(dir).filter((name) => name !== "countries" && statSync(join(dir, name)).isDirectory());
  const answerPaths = answerDirs.flatMap((name) => filesUnder(join(dir, name), ".md"));
  const countryPaths = filesUnder(join(dir, "countries"), ".yml");
  const problems: ContentError[] = [];
  const content = collect(answerPaths, root, (origin, text, path) => named(parseContentFile(origin, text), path), problems);
  const countries = collect(countryPaths, root, parseCountryFile, problems);
  if (problems.length > 0) throw new ContentFilesError(problems);
  return { content, countries };
}

export function loadCatalogue(root = PROJECT_ROOT): Catalogue {
  return { intents: loadIntentFiles(root), ...loadContentFiles(root), outOfScope: loadOutOfScope(root) };
}
