import { LANGS, type Lang } from "../languages.js";
import { foldText, tokens } from "../text/normalize.js";

/**
 * A character n-gram Naive Bayes language model for the five languages, trained on the project's own
 * multilingual text (intent examples, system strings, content). fastText's lid.176 never recognises short
 * Haitian Creole, and no packaged detector knows Kreyòl, so this model is the primary detector.
 */
export interface LanguageSample {
  lang: Lang;
  text: string;
}

export interface LanguageScores {
  /** Posterior probability per language, summing to 1. */
  probabilities: Record<Lang, number>;
  /** Share of the message's trigrams seen in training (any language): low means "probably another language". */
  familiarity: number;
  /** Share of the message's words (two letters or more) seen in training, any language. */
  knownWords: number;
}

const MIN_N = 1;
const MAX_N = 4;
const SMOOTHING = 0.5;
/** Softmax temperature on the mean log-likelihood: calibrated so that a 3-word message gives ~0.9 to its language. */
const SHARPNESS = 6;

export function languageFeatures(folded: string): string[] {
  const features: string[] = [];
  for (const word of tokens(folded)) {
    if (/^\d+$/.test(word)) continue;
    features.push(`w:${word}`);
    const padded = ` ${word} `;
    for (let n = MIN_N; n <= MAX_N; n++) {
      for (let i = 0; i + n <= padded.length; i++) features.push(padded.slice(i, i + n));
    }
  }
  return features;
}

/** What the model learned, to be stored and loaded without training again (the Worker's bundle). */
export interface LanguageModelState {
  features: string[];
  /** LANGS.length log-probabilities per feature, in the order of `features`. */
  logProb: Float64Array;
  unseen: Float64Array;
}

export class NgramLanguageModel {
  private readonly logProb = new Map<string, Float64Array>();
  private readonly unseen = new Float64Array(LANGS.length);

  static fromState(state: LanguageModelState): NgramLanguageModel {
    const model = new NgramLanguageModel([]);
    model.unseen.set(state.unseen);
    state.features.forEach((feature, i) => model.logProb.set(feature, state.logProb.subarray(i * LANGS.length, (i + 1) * LANGS.length)));
    return model;
  }

  state(): LanguageModelState {
    const features = [...this.logProb.keys()];
    const logProb = new Float64Array(features.length * LANGS.length);
    features.forEach((feature, i) => logProb.set(this.logProb.get(feature)!, i * LANGS.length));
    return { features, logProb, unseen: Float64Array.from(this.unseen) };
  }

  constructor(samples: readonly LanguageSample[]) {
    const counts = new Map<string, Float64Array>();
    const totals = new Float64Array(LANGS.length);
    for (const sample of samples) {
      const li = LANGS.indexOf(sample.lang);
      for (const feature of languageFeatures(foldText(sample.text))) {
        let row = counts.get(feature);
        if (!row) counts.set(feature, (row = new Float64Array(LANGS.length)));
        row[li]! += 1;
        totals[li]! += 1;
      }
    }
    const vocabulary = counts.size;
    for (let li = 0; li < LANGS.length; li++) {
      this.unseen[li] = Math.log(SMOOTHING / (totals[li]! + SMOOTHING * vocabulary));
    }
    for (const [feature, row] of counts) {
      const lp = new Float64Array(LANGS.length);
      for (let li = 0; li < LANGS.length; li++) {
        lp[li] = Math.log((row[li]! + SMOOTHING) / (totals[li]! + SMOOTHING * vocabulary));
      }
      this.logProb.set(feature, lp);
    }
  }

  score(text: string): LanguageScores {
    const features = languageFeatures(foldText(text));
    const sums = new Float64Array(LANGS.length);
    let trigrams = 0;
    let knownTrigrams = 0;
    let words = 0;
    let knownWords = 0;
    for (const feature of features) {
      const lp = this.logProb.get(feature);
      if (feature.startsWith("w:") && feature.length > 3) {
        words++;
        if (lp) knownWords++;
      }
      if (feature.length === 3 && !feature.startsWith("w:")) {
        trigrams++;
        if (lp) knownTrigrams++;
      }
      for (let li = 0; li < LANGS.length; li++) sums[li]! += lp ? lp[li]! : this.unseen[li]!;
    }
    const n = Math.max(1, features.length);
    const logits = Array.from(sums, (s) => (s / n) * SHARPNESS * Math.sqrt(n) / 2);
    const max = Math.max(...logits);
    const exps = logits.map((l) => Math.exp(l - max));
    const total = exps.reduce((a, b) => a + b, 0);
    const probabilities = Object.fromEntries(LANGS.map((l, i) => [l, exps[i]! / total])) as Record<Lang, number>;
    return {
      probabilities,
      familiarity: trigrams === 0 ? 0 : knownTrigrams / trigrams,
      knownWords: words === 0 ? 0 : knownWords / words,
    };
  }
}
