import { extractCountry, type CountryCode } from "./countries.js";
import { isBareHelpRequest } from "./engine/words.js";
import { isHandoffIntent, type IntentId } from "./intents.js";
import type { DetectedLanguage, LanguageContext, LanguageDetector } from "./language/detect.js";
import { decide, type MatchDecision, type MatchThresholds } from "./matcher.js";
import type { Lang } from "./languages.js";
import type { IntentRanker, RankedIntent, Ranking } from "./ports.js";
import { splitClauses, type SafetyHit, type SafetyScreen } from "./safety/screen.js";

/** Sentences shorter than this carry too little to rank alone; at most this many are ranked. */
const MIN_CLAUSE_WORDS = 4;
const MAX_CLAUSES = 6;
/** How much a greeting or thanks still counts when the message goes on to say more. */
const CHAT_IN_LONG_MESSAGE = 0.75;
/**
 * The ranked intents an interpretation carries, best first. The decision is taken on all of them; more would only
 * be copied between threads with every message (Node) for no reader.
 */
const RANKED_KEPT = 5;

/**
 * What a message means: its language, the country it names, whether the safety screen fired, and the
 * matcher's decision. The same interpretation feeds the conversation engine and the `classify` contract.
 */
export interface Interpretation {
  language: DetectedLanguage;
  country: CountryCode | null;
  safety: SafetyHit | null;
  decision: MatchDecision;
  /** The best few intents (RANKED_KEPT), for explanations; the decision was taken on the full ranking. */
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

  /**
   * The same interpreter deciding with other thresholds (calibration sweeps them over the dev set, with a ranker
   * that remembers its rankings so the model runs once per message).
   */
  withThresholds(thresholds: MatchThresholds, ranker: IntentRanker = this.ranker): Interpreter {
    return new Interpreter(this.detector, this.safety, ranker, thresholds);
  }

  /**
   * A long message ("hola buenas, estoy en Necoclí con mi familia... ¿cuáles son los peligros?") is ranked as a
   * whole and sentence by sentence; each intent keeps its best score, so the question is not drowned by the
   * greeting and the story around it.
   */
  private async rankByClause(text: string, lang: Lang): Promise<Ranking> {
    const clauses = splitClauses(text).filter((c) => c.text.trim().split(/\s+/).length >= MIN_CLAUSE_WORDS);
    if (clauses.length < 2) return this.ranker.rank(text, lang);
    const texts = [text, ...clauses.slice(0, MAX_CLAUSES).map((c) => c.text)];
    // One embedding call for the message and its sentences when the ranker can (a neural model's cost is per call).
    const [whole, ...rankings] = this.ranker.rankAll
      ? await this.ranker.rankAll(texts, lang)
      : await Promise.all(texts.map((t) => this.ranker.rank(t, lang)));
    // A greeting or thanks around a question is politeness, not the request: it counts less in a long message.
    const best = new Map(whole!.intents.map((r) => [r.intent, r.intent.startsWith("chat.") ? r.score * CHAT_IN_LONG_MESSAGE : r.score]));
    let outOfScope = whole!.outOfScope;
    for (const part of rankings) {
      // A greeting, thanks or "I don't speak Spanish" sentence inside a longer message is not what it asks.
      for (const r of part.intents) if (!r.intent.startsWith("chat.") && r.score > (best.get(r.intent) ?? 0)) best.set(r.intent, r.score);
      outOfScope = Math.max(outOfScope, part.outOfScope);
    }
    return { intents: [...best].map(([intent, score]) => ({ intent, score })).sort((a, b) => b.score - a.score), outOfScope };
  }

  async interpret(text: string, context: LanguageContext = {}): Promise<Interpretation> {
    const language = await this.detector.detect(text, context);
    const safety = this.safety.screen(text, language.lang);
    const { intents, outOfScope } = await this.rankByClause(text, language.lang);
    // "necesito ayuda" says nothing about what help: the menu shows what exists (a person included).
    const decision: MatchDecision = isBareHelpRequest(text)
      ? { kind: "answer", intent: "chat.menu", confidence: 1 }
      : decide(intents, this.thresholds, outOfScope);
    const ranked = intents.slice(0, RANKED_KEPT);
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
