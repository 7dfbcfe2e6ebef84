import type { MatchThresholds } from "../core/matcher.js";

/**
 * Decision thresholds per embedder, calibrated on the dev eval set. Scores of different embedders live on
 * different scales (a lexical cosine of 0.4 is a strong match; a neural one is not), so each embedder gets its
 * own. The built-in embedder's are measured here with `npm run eval`; a neural model's are measured on the
 * operator's machine with `npm run calibrate` (written to MODEL_DIR/brujula-thresholds.json), since the model
 * cannot ship with the repository.
 */
const CALIBRATED: Record<string, MatchThresholds> = {
  "builtin-v2": { answer: 0.42, floor: 0.3, margin: 0.03, handoff: 0.36 },
};

/**
 * A first guess for a neural model nobody has calibrated yet: multilingual sentence models put paraphrases
 * around 0.6–0.9 and unrelated sentences around 0.1–0.4. Used only until `npm run calibrate` has run; /health
 * says so.
 */
const NEURAL_GUESS: MatchThresholds = { answer: 0.6, floor: 0.42, margin: 0.03, handoff: 0.52 };

export interface Calibration {
  thresholds: MatchThresholds;
  /** "measured": from the table or the operator's calibration; "estimated": mixed from the guess above. */
  origin: "measured" | "estimated";
}

/** A hybrid embedder's id names its parts and the neural share: hybrid(<neural>+<lexical>@<weight>). */
function hybridParts(embedderId: string): { lexical: string; weight: number } | null {
  const match = /^hybrid\(.+\+([^+@]+)@([\d.]+)\)$/.exec(embedderId);
  return match ? { lexical: match[1]!, weight: Number(match[2]) } : null;
}

export function calibrationFor(embedderId: string, measured: Record<string, MatchThresholds> = {}): Calibration {
  const known = measured[embedderId] ?? CALIBRATED[embedderId];
  if (known) return { thresholds: known, origin: "measured" };
  const hybrid = hybridParts(embedderId);
  const lexical = hybrid && CALIBRATED[hybrid.lexical];
  if (!hybrid || !lexical) {
    throw new Error(`No calibrated thresholds for embedder "${embedderId}": run npm run calibrate (or npm run eval) and record them`);
  }
  const mix = (key: keyof MatchThresholds) => Math.round((hybrid.weight * NEURAL_GUESS[key] + (1 - hybrid.weight) * lexical[key]) * 1000) / 1000;
  return { thresholds: { answer: mix("answer"), floor: mix("floor"), margin: mix("margin"), handoff: mix("handoff") }, origin: "estimated" };
}

export function thresholdsFor(embedderId: string): MatchThresholds {
  return calibrationFor(embedderId).thresholds;
}
