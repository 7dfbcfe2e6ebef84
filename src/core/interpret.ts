import { extractCountry, type CountryCode } from "./countries.js";
import { isBareHelpRequest } from "./engine/words.js";
import { isHandoffIntent, type IntentId } from "./intents.js";
import type { DetectedLanguage, LanguageContext, LanguageDetector } from "./language/detect.js";
import { decide, type MatchDecision, type MatchThresholds } from "./matcher.js";
import type { IntentRanker, RankedIntent } from "./ports.js";
import type { SafetyHit, SafetyScreen } from "./safety/screen.js";

/**
 * What a message means: its language, the country it names, whether the safety screen fired, and the
 * matcher's decision. The same interpretation feeds the conversation engine and the `classify` contract.
 */
export interface Interpretation {
  language: DetectedLanguage;
  country: CountryCode | null;
  safety: SafetyHit | null;
  decision: MatchDecision;
  ranked: RankedIntent[];
  /** The intent acted upon: the safety screen's when it fired, else the matcher's (null on fallback). */
  intent: IntentId | null;
  confidence: number;
  handoff: boolean;
}

/** Anything that reads a message: the interpreter itself, or a pool of them on other threads (Node). */
export interface Interprets {
  interpret(text: string, context?: LanguageContext): Promise<Interpretation>;
}

export class Interpreter implements Interprets {
  constructor(
    private readonly detector: LanguageDetector,
    private readonly safety: SafetyScreen,
    private readonly ranker: IntentRanker,
    private readonly thresholds: MatchThresholds,
  ) {}

  async interpret(text: string, context: LanguageContext = {}): Promise<Interpretation> {
    const language = await this.detector.detect(text, context);
    const safety = this.safety.screen(text, language.lang);
    const { intents: ranked, outOfScope } = await this.ranker.rank(text, language.lang);
    // "necesito ayuda" says nothing about what help: the menu shows what exists (a person included).
    const decision: MatchDecision = isBareHelpRequest(text)
      ? { kind: "answer", intent: "chat.menu", confidence: 1 }
      : decide(ranked, this.thresholds, outOfScope);
    const country = extractCountry(text);
    // A hypothetical question ("what if the guide leaves us?") that the matcher confidently answers with
    // information is answered; in every other case the screen wins: when in doubt, a person looks at it.
    const informational = decision.kind === "answer" && !isHandoffIntent(decision.intent);
    if (safety && !(safety.hypothetical && informational)) {
      // The screen overrides the matcher, except when the matcher confidently found another sensitive intent
      // (it knows "my son is detained" is detention even if a danger word appears too).
      const matched = decision.kind === "answer" && isHandoffIntent(decision.intent) ? decision.intent : null;
      const intent = matched ?? safety.intent;
      return { language, country, safety, decision, ranked, intent, confidence: Math.max(decision.confidence, 0.99), handoff: true };
    }
    const intent = decision.kind === "fallback" ? null : decision.intent;
    const handoff = decision.kind === "answer" && isHandoffIntent(decision.intent);
    return { language, country, safety, decision, ranked, intent, confidence: decision.confidence, handoff };
  }
}
