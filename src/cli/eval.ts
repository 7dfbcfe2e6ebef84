import { join } from "node:path";
import { PROJECT_ROOT } from "../catalog/files.js";
import { LANGS } from "../core/languages.js";
import { createNodeAssistant } from "../runtime-node.js";
import { exitQuietlyOnClosedPipe, parseFlags } from "./args.js";
import { evaluate, loadEvalSet, type LanguageMetrics, type Ratio } from "./evaluation.js";

/**
 * `npm run eval`: accuracy per language and per intent, handoff recall, false handoffs, out-of-scope rejection
 * and language ID on tests/eval/*.jsonl. `--errors` lists the misses; `--json` prints the whole report.
 */
exitQuietlyOnClosedPipe();
const flags = parseFlags(process.argv.slice(2));
const assistant = await createNodeAssistant({ fastText: process.env.FASTTEXT !== "off" });
const items = loadEvalSet(join(PROJECT_ROOT, "tests", "eval"));
const report = await evaluate(assistant.interpreter, items);

if (flags.has("json")) {
  console.log(JSON.stringify(report, null, 2));
} else {
  const pct = (r: Ratio) => `${(r.rate * 100).toFixed(1).padStart(5)}% (${r.hits}/${r.total})`;
  const columns: [keyof LanguageMetrics, string][] = [
    ["intentAccuracy", "intent acc"],
    ["handoffRecall", "handoff recall"],
    ["falseHandoffRate", "false handoffs"],
    ["outOfScopeRejection", "out-of-scope rej"],
    ["languageId", "language id"],
    ["countryAccuracy", "country"],
  ];
  console.log(`Dev eval: ${items.length} messages, embedder ${assistant.embedderId}\n`);
  console.log(["lang".padEnd(8), ...columns.map(([, label]) => label.padEnd(20))].join(""));
  for (const [name, m] of [...LANGS.map((l) => [l, report.byLang[l]] as const), ["all", report.overall] as const]) {
    console.log([name.padEnd(8), ...columns.map(([key]) => pct(m[key]).padEnd(20))].join(""));
  }
  console.log("\nper intent (accuracy):");
  for (const [intent, r] of Object.entries(report.byIntent).sort((a, b) => a[1].rate - b[1].rate)) {
    console.log(`  ${intent.padEnd(26)} ${pct(r)}`);
  }
  if (flags.has("errors")) {
    console.log("\nmisses:");
    for (const { item, got } of report.errors) {
      console.log(`  [${item.lang}->${got.lang}] ${item.intent ?? "-"} -> ${got.intent ?? "-"} (${got.confidence}) h=${got.handoff} :: ${item.text}`);
    }
  }
}
