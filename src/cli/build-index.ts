import { mkdirSync, writeFileSync } from "node:fs";
import { buildSnapshot } from "../assistant.js";
import { encodeSnapshot, SNAPSHOT_ASSET } from "../nlu/snapshot.js";
import { join } from "node:path";
import { loadCatalogue, PROJECT_ROOT } from "../catalog/files.js";
import { checkContent, todayIso } from "../core/content-check.js";
import { createTranslator } from "../core/i18n/index.js";
import { flagString, parseFlags } from "./args.js";

/**
 * `npm run build:index [-- --out FILE]`: the catalogue (intent examples, counter-examples, vetted content,
 * country numbers), checked, as one JSON module the Worker imports (default src/generated/catalogue.json). The
 * content check runs here, at build time, so the Worker does not repeat it per isolate.
 */
const flags = parseFlags(process.argv.slice(2));
const out = flagString(flags, "out") ?? join(PROJECT_ROOT, "src", "generated", "catalogue.json");
const catalogue = loadCatalogue();
const errors = checkContent(catalogue.content, catalogue.countries ?? [], { translator: createTranslator(), today: todayIso() }).filter((p) => p.level === "error");
if (errors.length > 0) {
  console.error(`The content library has ${errors.length} errors: run npm run content:check`);
  process.exit(1);
}
mkdirSync(join(out, ".."), { recursive: true });
const json = JSON.stringify(catalogue);
writeFileSync(out, json);
// What the built-in matcher learns, as a static asset beside the Worker (not in its bundle: see nlu/snapshot.ts).
const assets = join(out, "..", "assets");
mkdirSync(assets, { recursive: true });
const snapshot = encodeSnapshot(await buildSnapshot(catalogue));
writeFileSync(join(assets, SNAPSHOT_ASSET), snapshot);
console.error(
  `build:index — ${catalogue.intents.length} intents, ${catalogue.content.length} answers, ${catalogue.countries?.length ?? 0} countries → ${out} (${Math.round(json.length / 1024)} KiB), index snapshot ${Math.round(snapshot.length / 1024)} KiB`,
);
