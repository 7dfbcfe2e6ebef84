import { existsSync } from "node:fs";
import { GROUP_LIMIT, type QuestionGroup } from "../core/insights/model.js";
import { isLang, LANGS, type Lang } from "../core/languages.js";
import type { Store } from "../core/store/store.js";
import { groupingSimilarity, questionGrouper } from "../nlu/question-groups.js";
import { configOrExit, createNodeAssistant, databasePath, loadDataKeys, openSqliteStore } from "../runtime-node.js";
import { flagString, parseFlags, runCli } from "./args.js";

/**
 * `npm run insights:unanswered -- --days 30 --lang ht [--similarity 0.42] [--limit 500] [--json]` prints what
 * people asked that Brújula could not answer (redacted when kept, tied to nobody), grouped by meaning with the
 * service's own embedder and thresholds: per language its questions and groups, per group its size, kinds, the
 * nearest intent and its score, and up to three examples. Reads the service's database (WAL: it may run beside
 * the service). Without --lang, every language with questions.
 */
const USAGE = "usage: npm run insights:unanswered -- [--days 30] [--lang es|en|fr|ht|pt] [--similarity 0.42] [--limit 500] [--json]";
const KNOWN = new Set(["days", "lang", "similarity", "limit", "json"]);
const SHOWN_EXAMPLES = 3;

interface Options {
  days: number;
  langs: readonly Lang[];
  similarity: number | undefined;
  limit: number;
  json: boolean;
}

/** The flags, or the one line that says what is wrong with them. */
function options(argv: readonly string[]): Options | string {
  const flags = parseFlags(argv);
  const unknown = [...flags.keys()].find((name) => !KNOWN.has(name));
  if (unknown !== undefined) return `unknown flag --${unknown}`;
  // A word not right after a flag is not the value of any.
  const stray = argv.find((arg, i) => !arg.startsWith("--") && (i === 0 || !argv[i - 1]!.startsWith("--") || argv[i - 1]!.includes("=")));
  if (stray !== undefined) return `unexpected "${stray}"`;
  const number = (name: string, fallback: number | undefined, valid: (n: number) => boolean, says: string): number | undefined | string => {
    if (!flags.has(name)) return fallback;
    const value = Number(flagString(flags, name) ?? NaN);
    return Number.isFinite(value) && valid(value) ? value : `--${name} must be ${says}`;
  };
  const days = number("days", 30, (n) => Number.isInteger(n) && n >= 1 && n <= 3650, "a whole number of days from 1 to 3650");
  const similarity = number("similarity", undefined, (n) => n > 0 && n <= 1, "a number above 0 and at most 1");
  const limit = number("limit", GROUP_LIMIT, (n) => Number.isInteger(n) && n >= 1 && n <= 10_000, "a whole number from 1 to 10000");
  for (const value of [days, similarity, limit]) if (typeof value === "string") return value;
  const lang = flags.get("lang");
  if (lang !== undefined && !isLang(lang)) return `--lang must be one of ${LANGS.join(", ")}`;
  const json = flags.get("json");
  if (json !== undefined && json !== true) return "--json takes no value";
  return { days: days as number, langs: lang ? [lang] : LANGS, similarity: similarity as number | undefined, limit: limit as number, json: json === true };
}

/** The last `days` days, today included (UTC days, as the questions are kept). */
function range(days: number, now = new Date()): { from: string; to: string } {
  const day = (offset: number) => new Date(now.getTime() - offset * 86_400_000).toISOString().slice(0, 10);
  return { from: day(days - 1), to: day(0) };
}

const score = (n: number) => n.toFixed(2);

function printGroup(group: QuestionGroup): void {
  const kinds = Object.entries(group.kinds).map(([kind, n]) => `${kind} ${n}`).join(", ");
  const nearest = group.nearest ? `nearest ${group.nearest.intent} ${score(group.nearest.score)}` : "no intent near";
  console.log(`  ${group.size} × (${kinds}) · ${nearest}`);
  // Quoted as JSON: a line break or a terminal escape sequence someone typed is shown, never acted on.
  for (const example of group.examples.slice(0, SHOWN_EXAMPLES)) console.log(`      ${JSON.stringify(example.text)}`);
}

async function main(): Promise<number> {
  const chosen = options(process.argv.slice(2));
  if (typeof chosen === "string") {
    console.error(`${chosen}. ${USAGE}`);
    return 2;
  }
  const config = configOrExit();
  if (!existsSync(databasePath(config))) {
    console.error(`No database at ${databasePath(config)}: is DATA_DIR the service's?`);
    return 1;
  }
  // Through the port: what any store keeps, listed the same way.
  const store: Store = openSqliteStore(await loadDataKeys(config), config);
  try {
    const assistant = await createNodeAssistant({ fastText: false, root: config.CATALOGUE_DIR, embeddings: config });
    const similarity = chosen.similarity ?? groupingSimilarity(assistant.calibration);
    const group = questionGrouper(assistant.embedder, assistant.index, similarity, chosen.limit);
    const { from, to } = range(chosen.days);
    const report = [];
    for (const lang of chosen.langs) {
      const questions = await store.listUnanswered({ from, to, lang, limit: chosen.limit });
      // Without --lang, languages nobody asked in are left out.
      if (questions.length === 0 && chosen.langs.length > 1) continue;
      report.push({ lang, from, to, questions: questions.length, embedder: assistant.embedderId, similarity, groups: await group(questions, lang) });
    }
    if (chosen.json) {
      console.log(JSON.stringify(report, null, 2));
      return 0;
    }
    if (report.length === 0) console.log(`No unanswered questions from ${from} to ${to}.`);
    for (const { lang, questions, groups } of report) {
      console.log(`${lang}: ${questions} unanswered questions in ${groups.length} groups, ${from} to ${to} (embedder ${assistant.embedderId}, similarity ${similarity})`);
      groups.forEach(printGroup);
    }
    return 0;
  } finally {
    await store.close();
  }
}

runCli("insights:unanswered", main);
