import { ContentFilesError, loadContentFiles, PROJECT_ROOT } from "../catalog/files.js";
import { telegramPieces } from "../channels/telegram/render.js";
import { smsBodies, whatsappBodies } from "../channels/twilio/render.js";
import { checkContent, todayIso, type Problem } from "../core/content-check.js";
import { ContentLibrary, type ContentEntry } from "../core/content.js";
import type { CountryCode } from "../core/countries.js";
import { contentReply } from "../core/engine/replies.js";
import { createTranslator } from "../core/i18n/index.js";
import { isHandoffIntent } from "../core/intents.js";
import { flagString, parseFlags } from "./args.js";

/**
 * `npm run content:check [-- --root DIR] [--today YYYY-MM-DD] [--quiet]`: validates the content library (front matter,
 * coverage of every intent × language and the required country versions, sources, numbers and links that
 * agree across translations, placeholders, review dates) and how each answer comes out on every channel in
 * every country. Exit 1 on any error; warnings are printed and do not fail.
 */

/** An SMS answer (summary, source, "reply MORE", options) arrives in at most this many messages. */
export const SMS_ANSWER_PARTS = 2;

/** The countries an entry is shown in: its own, or (the general version) unknown and every country without its own. */
function shownIn(entry: ContentEntry, library: ContentLibrary): (CountryCode | null)[] {
  if (entry.country) return [entry.country];
  const others = library.allCountries().map((c) => c.country).filter((c) => library.get(entry.intent, entry.lang, c) === entry);
  return [null, ...others];
}

/** Each answer fits its channels as rendered, with its options, in every country it is shown in. */
export function channelProblems(library: ContentLibrary): Problem[] {
  const translator = createTranslator();
  const out: Problem[] = [];
  for (const entry of library.all()) {
    const t = translator(entry.lang);
    const worst = { whatsapp: 1, telegram: 1, sms: 1 };
    for (const country of shownIn(entry, library)) {
      const shown = library.answer(entry.intent, entry.lang, country, t)!;
      const reply = contentReply(t, shown, isHandoffIntent(entry.intent) ? null : library);
      worst.whatsapp = Math.max(worst.whatsapp, whatsappBodies(reply, t).length);
      worst.telegram = Math.max(worst.telegram, telegramPieces(reply.text).length);
      worst.sms = Math.max(worst.sms, smsBodies(reply, t).length);
    }
    const problem = (message: string) => out.push({ level: "error", origin: entry.origin, message });
    if (worst.whatsapp > 1) problem(`WhatsApp needs ${worst.whatsapp} messages for this answer (one is the limit)`);
    if (worst.telegram > 1) problem(`Telegram needs ${worst.telegram} messages for this answer (one is the limit)`);
    if (worst.sms > SMS_ANSWER_PARTS) problem(`the SMS answer needs ${worst.sms} messages (at most ${SMS_ANSWER_PARTS}): shorten the summary or title`);
  }
  return out;
}

function main(): void {
  const flags = parseFlags(process.argv.slice(2));
  const root = flagString(flags, "root") ?? PROJECT_ROOT;
  const today = flagString(flags, "today") ?? todayIso();
  let problems: Problem[];
  let counts = "";
  try {
    const { content, countries } = loadContentFiles(root);
    problems = checkContent(content, countries, { translator: createTranslator(), today });
    if (!problems.some((p) => p.level === "error")) problems.push(...channelProblems(new ContentLibrary(content, countries)));
    counts = `${content.length} answers, ${countries.length} country files`;
  } catch (error) {
    if (!(error instanceof ContentFilesError)) throw error;
    problems = error.problems.map((p) => ({ level: "error", origin: p.origin, message: p.problem }));
  }
  const errors = problems.filter((p) => p.level === "error");
  const warnings = problems.filter((p) => p.level === "warning");
  // --quiet (CI): errors only; the warnings are for the content team's own runs and the report.
  const shown = flags.has("quiet") ? errors : [...errors, ...warnings];
  for (const p of shown.sort((a, b) => a.origin.localeCompare(b.origin))) {
    console.log(`${p.level === "error" ? "error  " : "warning"} ${p.origin}: ${p.message}`);
  }
  console.log(`content:check — ${counts || "files not loaded"}: ${errors.length} errors, ${warnings.length} warnings`);
  process.exitCode = errors.length > 0 ? 1 : 0;
}

if (process.argv[1]?.endsWith("content-check.ts")) main();
