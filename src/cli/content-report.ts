import { writeFileSync } from "node:fs";
import { loadContentFiles, PROJECT_ROOT } from "../catalog/files.js";
import { ANSWERED_INTENTS, REQUIRED_COUNTRIES, todayIso } from "../core/content-check.js";
import type { Review } from "../core/content.js";
import { COUNTRY_DEPENDENT, type IntentId } from "../core/intents.js";
import { LANGS } from "../core/languages.js";
import { flagString, parseFlags } from "./args.js";

/**
 * `npm run content:report [-- --out FILE] [--root DIR] [--today YYYY-MM-DD]`: the coverage matrix for the content
 * team — every answered intent × language, and × country where the answer depends on the country — with each
 * file's review state, printed as Markdown (and written to FILE).
 */

type Cell = "reviewed" | "draft" | "overdue" | "missing";
const MARK: Record<Cell, string> = { reviewed: "✅", draft: "📝", overdue: "⏰", missing: "❌" };

function cellOf(review: Review | undefined, today: string): Cell {
  if (!review) return "missing";
  if (review.reviewDue && review.reviewDue < today) return "overdue";
  return review.status;
}

export function contentReport(root: string, today: string): string {
  const { content, countries } = loadContentFiles(root);
  const find = (intent: IntentId, lang: string, country: string | null) =>
    content.find((e) => e.intent === intent && e.lang === lang && e.country === country);
  const counts: Record<Cell, number> = { reviewed: 0, draft: 0, overdue: 0, missing: 0 };
  const row = (label: string, cells: Cell[]) => {
    for (const c of cells) counts[c]++;
    return `| ${label} | ${cells.map((c) => MARK[c]).join(" | ")} |`;
  };
  const lines = [
    `# Content coverage — ${today}`,
    "",
    `${MARK.reviewed} reviewed · ${MARK.draft} draft (not yet reviewed) · ${MARK.overdue} review past due · ${MARK.missing} missing`,
    "",
    "## Answers",
    "",
    `| intent | ${LANGS.join(" | ")} |`,
    `|---|${LANGS.map(() => ":-:").join("|")}|`,
  ];
  for (const intent of ANSWERED_INTENTS) {
    lines.push(row(intent, LANGS.map((lang) => cellOf(find(intent, lang, null), today))));
    if (!COUNTRY_DEPENDENT.has(intent)) continue;
    for (const country of REQUIRED_COUNTRIES) {
      lines.push(row(`${intent} · ${country}`, LANGS.map((lang) => cellOf(find(intent, lang, country), today))));
    }
  }
  lines.push("", "## Country phone numbers", "", "| country | lines | review |", "|---|---|:-:|");
  const codes = [...new Set([...REQUIRED_COUNTRIES, ...countries.map((c) => c.country)])];
  for (const code of codes) {
    const facts = countries.find((c) => c.country === code);
    const kinds = facts ? Object.entries(facts.numbers).map(([kind, line]) => `${kind} ${line.number}`).join(", ") : "";
    const cell = cellOf(facts, today);
    counts[cell]++;
    lines.push(`| ${code} | ${kinds || "—"} | ${MARK[cell]} |`);
  }
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  lines.push(
    "",
    `**${total} cells:** ${counts.reviewed} reviewed, ${counts.draft} draft, ${counts.overdue} past due, ${counts.missing} missing.`,
    "",
  );
  return lines.join("\n");
}

function main(): void {
  const flags = parseFlags(process.argv.slice(2));
  const report = contentReport(flagString(flags, "root") ?? PROJECT_ROOT, flagString(flags, "today") ?? todayIso());
  process.stdout.write(report);
  const out = flagString(flags, "out");
  if (out) writeFileSync(out, report);
}

main();
