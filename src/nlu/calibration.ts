import type { MatchThresholds } from "../core/matcher.js";

/**
 * Decision thresholds per embedder, calibrated on the dev eval set (`npm run eval`). Scores of different
 * embedders live on different scales (a lexical cosine of 0.4 is a strong match; a neural one is not), so each
 * embedder gets its own. Re-run the eval after changing an embedder and update these with the figures.
 */
const CALIBRATED: Record<string, MatchThresholds> = {
  "builtin-v2": { answer: 0.42, floor: 0.3, margin: 0.03, handoff: 0.36 },
};

export function thresholdsFor(embedderId: string): MatchThresholds {
  const thresholds = CALIBRATED[embedderId];
  if (!thresholds) throw new Error(`No calibrated thresholds for embedder "${embedderId}": run npm run eval and add them to src/nlu/calibration.ts`);
  return thresholds;
}
