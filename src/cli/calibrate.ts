import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../catalog/files.js";
import type { Lang } from "../core/languages.js";
import type { MatchThresholds } from "../core/matcher.js";
import type { IntentRanker, Ranking } from "../core/ports.js";
import { configOrExit, createNodeAssistant, THRESHOLDS_FILE } from "../runtime-node.js";
import { flagString, parseFlags } from "./args.js";
import { evaluate, loadEvalSet, type EvalReport } from "./evaluation.js";

/**
 * `npm run calibrate [-- --dry-run]`: measures the decision thresholds for the embedder the configuration
 * selects (EMBEDDINGS, EMBEDDINGS_MODEL, MODEL_DIR) on the dev eval set, and records them in
 * MODEL_DIR/brujula-thresholds.json, where start-up finds them. Chosen: the best mean intent accuracy with handoff
 * recall ≥ 98 %, false handoffs ≤ 3 % and off-topic rejection ≥ 85 % — the floors the tests hold the built-in
 * embedder to. The model runs once per message; the sweep replays the rankings.
 */
const FLOORS = { handoffRecall: 0.98, falseHandoffRate: 0.03, outOfScopeRejection: 0.85 };

class RememberingRanker implements IntentRanker {
  private readonly seen = new Map<string, Promise<Ranking>>();
  private readonly seenAll = new Map<string, Promise<Ranking[]>>();
  constructor(private readonly inner: IntentRanker) {}
  get embedderId(): string {
    return this.inner.embedderId;
  }
  rank(text: string, lang: Lang): Promise<Ranking> {
    const key = `${lang}\u0000${text}`;
    let ranking = this.seen.get(key);
    if (!ranking) this.seen.set(key, (ranking = this.inner.rank(text, lang)));
    return ranking;
  }

  /** As in production, a long message and its sentences are embedded in one call. */
  rankAll(texts: readonly string[], lang: Lang): Promise<Ranking[]> {
    const key = `${lang}\u0000${texts.join("\u0001")}`;
    let rankings = this.seenAll.get(key);
    if (!rankings) this.seenAll.set(key, (rankings = this.inner.rankAll ? this.inner.rankAll(texts, lang) : Promise.all(texts.map((t) => this.inner.rank(t, lang)))));
    return rankings;
  }
}

function grid(): MatchThresholds[] {
  const out: MatchThresholds[] = [];
  for (let answer = 0.25; answer <= 0.9001; answer += 0.025) {
    for (const below of [0.06, 0.12, 0.18]) {
      for (const handoffBelow of [0.03, 0.06, 0.1]) {
        for (const margin of [0.02, 0.04]) {
          const r = (x: number) => Math.round(x * 1000) / 1000;
          out.push({ answer: r(answer), floor: r(answer - below), margin, handoff: r(answer - handoffBelow) });
        }
      }
    }
  }
  return out;
}

function meanAccuracy(report: EvalReport): number {
  const langs = Object.values(report.byLang);
  return langs.reduce((sum, m) => sum + m.intentAccuracy.rate, 0) / langs.length;
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const config = configOrExit();
  const assistant = await createNodeAssistant({ fastText: config.FASTTEXT === "on", embeddings: config });
  if (assistant.embeddings?.active !== "hybrid") {
    // The built-in embedder's thresholds are measured in the repository (src/nlu/calibration.ts), not per server.
    console.error(`No neural model is running (${assistant.embeddings?.reason ?? `EMBEDDINGS=${config.EMBEDDINGS}`}): calibrate needs EMBEDDINGS=transformers or auto with the model in MODEL_DIR.`);
    process.exitCode = 2;
    return;
  }
  const items = loadEvalSet(flagString(flags, "eval") ?? join(PROJECT_ROOT, "tests", "eval"));
  const ranker = new RememberingRanker(assistant.index);
  let best: { thresholds: MatchThresholds; report: EvalReport; score: number } | null = null;
  const candidates = grid();
  for (const thresholds of candidates) {
    const report = await evaluate(assistant.interpreter.withThresholds(thresholds, ranker), items);
    const o = report.overall;
    if (o.handoffRecall.rate < FLOORS.handoffRecall || o.falseHandoffRate.rate > FLOORS.falseHandoffRate || o.outOfScopeRejection.rate < FLOORS.outOfScopeRejection) continue;
    const score = meanAccuracy(report) + 0.1 * o.outOfScopeRejection.rate;
    if (!best || score > best.score) best = { thresholds, report, score };
  }
  console.log(`Calibration of ${assistant.embedderId} on ${items.length} messages (${candidates.length} settings tried)`);
  if (!best) {
    console.log("No setting meets the floors (handoff recall ≥ 98 %, false handoffs ≤ 3 %, off-topic rejection ≥ 85 %): this model should not be used for matching.");
    process.exitCode = 1;
    return;
  }
  const o = best.report.overall;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  console.log(`thresholds ${JSON.stringify(best.thresholds)}`);
  console.log(
    `intent accuracy ${pct(o.intentAccuracy.rate)} (mean of languages ${pct(meanAccuracy(best.report))}), handoff recall ${pct(o.handoffRecall.rate)}, false handoffs ${pct(o.falseHandoffRate.rate)}, off-topic rejection ${pct(o.outOfScopeRejection.rate)}`,
  );
  if (flags.has("dry-run")) return;
  const path = join(config.MODEL_DIR, THRESHOLDS_FILE);
  let recorded: Record<string, MatchThresholds> = {};
  try {
    recorded = JSON.parse(readFileSync(path, "utf8")) as Record<string, MatchThresholds>;
  } catch {
    // first calibration in this MODEL_DIR
  }
  recorded[assistant.embedderId] = best.thresholds;
  mkdirSync(config.MODEL_DIR, { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(recorded, null, 2)}\n`);
  renameSync(temporary, path);
  console.log(`recorded in ${path}`);
}

await main();
