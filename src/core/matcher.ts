import { isHandoffIntent, type IntentId } from "./intents.js";
import type { RankedIntent } from "./ports.js";

/**
 * Turns ranked intents into a decision: answer, ask which of the top options was meant, or fall back to the
 * menu. Thresholds are calibrated per embedder (see src/nlu/calibration.ts) on the dev eval set.
 */
export interface MatchThresholds {
  /** Top score needed to answer without asking. */
  answer: number;
  /** Below this nothing is close enough: fallback with the menu. */
  floor: number;
  /** When the second option is within this margin of the first, ask which one was meant. */
  margin: number;
  /**
   * A sensitive intent at or above this score is handed off even when it would not be answered: when in doubt,
   * a person looks at it.
   */
  handoff: number;
}

export type MatchDecision =
  | { kind: "answer"; intent: IntentId; confidence: number }
  | { kind: "clarify"; intent: IntentId; confidence: number; options: IntentId[] }
  | { kind: "fallback"; confidence: number; nearest: IntentId | null };

const MAX_OPTIONS = 3;

export function decide(ranked: readonly RankedIntent[], thresholds: MatchThresholds, outOfScope = 0): MatchDecision {
  const [first, second] = ranked;
  if (!first) return { kind: "fallback", confidence: 0, nearest: null };
  // Closer to the counter-examples (weather, football, recipes...) than to any topic: not ours. Never applied
  // to a sensitive intent: when in doubt, a person looks.
  if (!isHandoffIntent(first.intent) && outOfScope >= first.score) return { kind: "fallback", confidence: first.score, nearest: first.intent };
  // A sensitive intent is handed off below the answer threshold only when it clearly leads: three intents
  // tied at 0.37 ("estoy en costa rica") are noise, not a reason to page a caseworker.
  if (isHandoffIntent(first.intent) && first.score >= thresholds.handoff && (!second || first.score - second.score >= thresholds.margin)) {
    return { kind: "answer", intent: first.intent, confidence: first.score };
  }
  if (first.score < thresholds.floor) return { kind: "fallback", confidence: first.score, nearest: first.intent };
  const close = ranked.filter((r, i) => i > 0 && first.score - r.score < thresholds.margin && r.score >= thresholds.floor);
  if (first.score >= thresholds.answer && close.length === 0) {
    return { kind: "answer", intent: first.intent, confidence: first.score };
  }
  // Unsure: offer the top option(s); the engine always adds "something else" (the menu) to the list.
  const runnerUp = close.length > 0 ? close : second && second.score >= thresholds.floor ? [second] : [];
  const options = [first, ...runnerUp].slice(0, MAX_OPTIONS).map((r) => r.intent);
  return { kind: "clarify", intent: first.intent, confidence: first.score, options };
}
