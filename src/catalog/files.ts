import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { Catalogue } from "../assistant.js";
import { parseContentFile, type ContentEntry } from "../core/content.js";
import { OUT_OF_SCOPE_FILE, parseIntentFile, parseOutOfScopeFile, type IntentFile } from "../core/intent-examples.js";
import type { Lang } from "../core/languages.js";

/** Reads `intents/` and `content/` from disk (Node only; Workers get the same data bundled at build time). */

export const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));

function filesUnder(dir: string, extension: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.sort().flatMap((name) => {
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

export function loadContentFiles(root = PROJECT_ROOT): ContentEntry[] {
  return filesUnder(join(root, "content"), ".md")
    .filter((path) => !path.endsWith("README.md"))
    .map((path) => parseContentFile(relative(root, path), readFileSync(path, "utf8")));
}

export function loadCatalogue(root = PROJECT_ROOT): Catalogue {
  return { intents: loadIntentFiles(root), content: loadContentFiles(root), outOfScope: loadOutOfScope(root) };
}
