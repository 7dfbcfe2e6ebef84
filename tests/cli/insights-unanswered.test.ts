import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/catalog/files.js";
import type { NewQuestion } from "../../src/core/store/questions.js";
import type { Store } from "../../src/core/store/store.js";
import { calibrationFor } from "../../src/nlu/calibration.js";
import { groupingSimilarity } from "../../src/nlu/question-groups.js";
import { loadDataKeys, openSqliteStore } from "../../src/runtime-node.js";
import { tempDir } from "../support/temp.js";

/** `npm run insights:unanswered` as an operator runs it, over DATA_DIR, with the built-in embedder. */
function insights(args: string[], dataDir: string) {
  const env = { PATH: process.env.PATH ?? "", DATA_DIR: dataDir, EMBEDDINGS: "builtin" };
  const cli = join(PROJECT_ROOT, "src/cli/insights-unanswered.ts");
  return spawnSync(process.execPath, ["--import", "tsx", cli, ...args], { encoding: "utf8", cwd: PROJECT_ROOT, env, timeout: 60_000 });
}

/** A DATA_DIR as the service leaves it: its data key and its database. */
async function serviceDataDir(): Promise<{ dataDir: string; store: Store }> {
  const dataDir = tempDir("insights");
  return { dataDir, store: openSqliteStore(await loadDataKeys({ DATA_DIR: dataDir }), { DATA_DIR: dataDir }) };
}

/** What the service groups with by default: the built-in embedder's answer threshold. */
const SIMILARITY = groupingSimilarity(calibrationFor("builtin-v2"));
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

/** Questions kept as the engine keeps them: each with the turn that asked it, redacted, tied to nobody. */
async function keep(store: Store, questions: readonly Omit<NewQuestion, "intent" | "score">[]): Promise<void> {
  let n = 0;
  for (const question of questions) {
    const at = `${question.day}T12:00:00.000Z`;
    const userKey = `person-${n++}`;
    await store.commitTurn({
      userKey,
      channel: "whatsapp",
      inbound: { channel: "whatsapp", externalId: `m-${userKey}`, text: question.text, at },
      state: { lang: question.lang },
      events: [],
      outbox: [],
      questions: [{ op: "add", question: { ...question, intent: null, score: null } }],
    });
  }
}

/** Parcel A's migration makes the store keep questions: until it is in, only what exists is tested. */
const STORE_KEEPS_QUESTIONS = existsSync(join(PROJECT_ROOT, "src/store/migrations/0010_insights.sql"));

describe("npm run insights:unanswered", () => {
  it("refuses a bad flag with one line and exit code 2, before touching anything", async () => {
    const dataDir = tempDir("insights");
    for (const args of [["--lang", "xx"], ["--days", "0"], ["--days"], ["--similarity", "1.5"], ["--limit", "many"], ["--json", "yes"], ["--verbose"], ["ht"]]) {
      const run = insights(args, dataDir);
      expect(run.status, args.join(" ")).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
    }
    expect((insights(["--lang", "xx"], dataDir)).stderr).toMatch(/^--lang must be one of es, en, fr, ht, pt\. usage: npm run insights:unanswered/);
    expect(existsSync(join(dataDir, "brujula.sqlite"))).toBe(false);
  });

  it("says so when DATA_DIR holds no database, and creates none", async () => {
    const dataDir = tempDir("insights");
    const run = insights(["--lang", "ht"], dataDir);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`No database at ${join(dataDir, "brujula.sqlite")}`);
    expect(existsSync(join(dataDir, "brujula.sqlite"))).toBe(false);
  });

  it("prints the language's header with the embedder and the similarity when nothing is kept", async () => {
    const { dataDir, store } = await serviceDataDir();
    await store.close();
    const run = insights(["--days", "30", "--lang", "ht"], dataDir);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`ht: 0 unanswered questions in 0 groups, ${daysAgo(29)} to ${daysAgo(0)} (embedder builtin-v2, similarity ${SIMILARITY})\n`);
    expect((insights(["--similarity", "0.3"], dataDir)).stdout).toBe(`No unanswered questions from ${daysAgo(29)} to ${daysAgo(0)}.\n`);
  });

  it.runIf(STORE_KEEPS_QUESTIONS)("prints the groups of one language: size, kinds, nearest intent and score, redacted examples", async () => {
    const { dataDir, store } = await serviceDataDir();
    const ht = (text: string, day = daysAgo(2), kind: NewQuestion["kind"] = "fallback") => ({ kind, lang: "ht" as const, text, day });
    await keep(store, [
      ht("konbyen kòb bis la ye pou Monterrey"),
      ht("ki kote m ka chaje telefòn mwen", daysAgo(1), "not_useful"),
      ht("konbyen bis pou ale Monterrey koute", daysAgo(1)),
      ht("mwen bezwen chaje telefòn mwen", daysAgo(0), "not_useful"),
      ht("konbyen kòb pou bis Monterrey, mwen rele [name]", daysAgo(0), "clarify"),
      // Someone typed a terminal escape sequence: shown, never acted on.
      ht("kote pou m chaje telefòn\u001b[2J", daysAgo(0), "not_useful"),
      // Outside the 30 days, another language, and an answer still waiting for its rating: none of them listed.
      ht("konbyen kòb bis la ye pou Tapachula", daysAgo(40)),
      { kind: "fallback", lang: "es", text: "¿cuánto cuesta el bus a Monterrey?", day: daysAgo(1) },
      ht("kote pou m chaje telefòn mwen an", daysAgo(0), "answered"),
    ]);
    await store.close();

    const run = insights(["--days", "30", "--lang", "ht"], dataDir);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines[0]).toBe(`ht: 6 unanswered questions in 2 groups, ${daysAgo(29)} to ${daysAgo(0)} (embedder builtin-v2, similarity ${SIMILARITY})`);
    expect(lines.filter((l) => /^ {2}\d/.test(l))).toEqual([
      expect.stringMatching(/^ {2}3 × \(fallback 2, clarify 1\) · nearest [a-z_.]+ 0\.\d\d$/),
      expect.stringMatching(/^ {2}3 × \(not_useful 3\) · nearest help\.basic_needs 0\.\d\d$/),
    ]);
    expect(run.stdout).toContain('"konbyen kòb pou bis Monterrey, mwen rele [name]"');
    expect(run.stdout).toContain('"mwen bezwen chaje telefòn mwen"');
    expect(run.stdout).not.toMatch(/Tapachula|cuánto|mwen an"/);
    expect(run.stdout).not.toContain("\u001b");
    expect(run.stdout).toContain(String.raw`"kote pou m chaje telefòn\u001b[2J"`);

    const json = JSON.parse((insights(["--days", "30", "--lang", "ht", "--json"], dataDir)).stdout) as { lang: string; questions: number; groups: { size: number; examples: { text: string }[] }[] }[];
    expect(json).toHaveLength(1);
    expect(json[0]).toMatchObject({ lang: "ht", questions: 6, embedder: "builtin-v2", similarity: SIMILARITY });
    expect(json[0]!.groups.map((g) => g.examples.map((e) => e.text).sort())).toEqual([
      ["konbyen bis pou ale Monterrey koute", "konbyen kòb bis la ye pou Monterrey", "konbyen kòb pou bis Monterrey, mwen rele [name]"],
      ["ki kote m ka chaje telefòn mwen", "kote pou m chaje telefòn\u001b[2J", "mwen bezwen chaje telefòn mwen"],
    ]);
    // Without --lang: every language with questions, in the order of LANGS.
    expect((insights(["--days", "30"], dataDir)).stdout.split("\n").filter((l) => /^[a-z]{2}:/.test(l)).map((l) => l.slice(0, 3))).toEqual(["es:", "ht:"]);
  });
});
