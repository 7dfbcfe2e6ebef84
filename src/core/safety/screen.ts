import type { IntentId } from "../intents.js";
import type { Lang } from "../languages.js";
import { foldText, MAX_ANALYSED_CHARS, normalizeText, tokens } from "../text/normalize.js";

/**
 * The safety screen: a high-recall phrase screen that runs before (and independently of) the intent matcher.
 * A missed emergency is the worst failure this product can have, so any match forces a handoff even when the
 * matcher is unsure. Phrases describe the writer's real situation ("nos quitaron los pasaportes"), not topics
 * ("que es la trata"), so informational questions stay with the matcher.
 *
 * Phrase syntax (normalised form: lowercase, no accents, no punctuation):
 *   - tokens must match consecutive words; `word*` matches any word with that prefix;
 *   - `a|b*|c` is a choice of alternatives within one token;
 *   - `~` matches a gap of 0 to 3 arbitrary words.
 */
export const SAFETY_CATEGORIES = [
  "danger",
  "trafficking",
  "violence",
  "child_alone",
  "detention",
  "missing",
  "self_harm",
  "human",
] as const;
export type SafetyCategory = (typeof SAFETY_CATEGORIES)[number];

export type SafetyPhrases = Record<SafetyCategory, string[]>;

/** Which handoff intent each category opens. */
export const SAFETY_INTENT: Record<SafetyCategory, IntentId> = {
  danger: "urgent.danger",
  trafficking: "urgent.trafficking",
  violence: "urgent.violence",
  child_alone: "urgent.child_alone",
  detention: "urgent.detention",
  missing: "urgent.missing",
  self_harm: "urgent.self_harm",
  human: "human.request",
};

/** When a message matches several categories, the most severe wins (self-harm and danger first). */
const SEVERITY: readonly SafetyCategory[] = [
  "self_harm",
  "danger",
  "child_alone",
  "violence",
  "trafficking",
  "detention",
  "missing",
  "human",
];

const MAX_GAP = 3;

type TokenPattern = { kind: "gap" } | { kind: "word"; exact: Set<string>; prefixes: string[] };
interface CompiledPhrase {
  source: string;
  category: SafetyCategory;
  lang: Lang;
  tokens: TokenPattern[];
  /** Position in the lexicons: among equally severe hits, the first phrase is reported. */
  order: number;
}

interface PhraseIndex {
  exact: Map<string, CompiledPhrase[]>;
  prefixed: { prefix: string; phrase: CompiledPhrase }[];
  anywhere: CompiledPhrase[];
}

function compileToken(token: string): TokenPattern {
  if (token === "~") return { kind: "gap" };
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const alternative of token.split("|")) {
    if (alternative.endsWith("*")) prefixes.push(alternative.slice(0, -1));
    else exact.add(alternative);
  }
  return { kind: "word", exact, prefixes };
}

function wordMatches(pattern: Extract<TokenPattern, { kind: "word" }>, word: string): boolean {
  return pattern.exact.has(word) || pattern.prefixes.some((prefix) => word.startsWith(prefix));
}

/** Does the phrase match the words starting at `at`? Gaps are tried shortest first. */
function matchFrom(phrase: TokenPattern[], p: number, words: string[], at: number): boolean {
  if (p === phrase.length) return true;
  const token = phrase[p]!;
  if (token.kind === "gap") {
    for (let skip = 0; skip <= MAX_GAP && at + skip <= words.length; skip++) {
      if (matchFrom(phrase, p + 1, words, at + skip)) return true;
    }
    return false;
  }
  return at < words.length && wordMatches(token, words[at]!) && matchFrom(phrase, p + 1, words, at + 1);
}

export interface SafetyHit {
  category: SafetyCategory;
  intent: IntentId;
  /** The phrase that matched, for audits and tests (never logged with the message). */
  phrase: string;
  lang: Lang;
  /**
   * The phrase sits in a hypothetical question ("what happens if immigration detains me?"). The interpreter
   * still hands off unless the matcher confidently recognises an informational question.
   */
  hypothetical: boolean;
}

export class SafetyScreen {
  private readonly phrases: CompiledPhrase[] = [];
  /** Phrases by language and by what their first word can be, so a message is only tried against phrases that can start in it. */
  private readonly index = new Map<Lang, PhraseIndex>();

  constructor(lexicons: Partial<Record<Lang, SafetyPhrases>>) {
    for (const [lang, lexicon] of Object.entries(lexicons) as [Lang, SafetyPhrases][]) {
      const index: PhraseIndex = { exact: new Map(), prefixed: [], anywhere: [] };
      this.index.set(lang, index);
      for (const category of SAFETY_CATEGORIES) {
        for (const source of lexicon[category]) {
          // Phrases go through the same normalisation as messages, so a phrase written with an accent or an
          // SMS spelling still matches.
          const compiled = tokens(normalizePattern(source, lang)).map(compileToken);
          if (compiled.length === 0) continue;
          const phrase: CompiledPhrase = { source, category, lang, tokens: compiled, order: this.phrases.length };
          this.phrases.push(phrase);
          const first = compiled[0]!;
          if (first.kind === "gap") {
            index.anywhere.push(phrase);
            continue;
          }
          for (const word of first.exact) index.exact.set(word, [...(index.exact.get(word) ?? []), phrase]);
          for (const prefix of first.prefixes) index.prefixed.push({ prefix, phrase });
        }
      }
    }
  }

  /** The phrases of a language that could start at one of these words, in lexicon order. */
  private candidates(lang: Lang, words: string[]): CompiledPhrase[] {
    const index = this.index.get(lang);
    if (!index) return [];
    const found = new Set<CompiledPhrase>(index.anywhere);
    for (const word of words) {
      for (const phrase of index.exact.get(word) ?? []) found.add(phrase);
      for (const { prefix, phrase } of index.prefixed) if (word.startsWith(prefix)) found.add(phrase);
    }
    return [...found].sort((a, b) => a.order - b.order);
  }

  /**
   * Screens a message, clause by clause (a phrase never spans ". " or "?", so words of two sentences do not
   * combine). Phrases of the detected language are tried on the text normalised for that language, then every
   * other language's phrases on the plain folded text: people mix languages, and a Kreyòl speaker writing
   * "ayuda" in Spanish must still be heard. The most severe real situation wins; a hit found only inside a
   * hypothetical question is returned flagged. Self-harm is never treated as hypothetical.
   */
  screen(text: string, lang?: Lang): SafetyHit | null {
    let real: SafetyHit | null = null;
    let hypothetical: SafetyHit | null = null;
    const outranks = (category: SafetyCategory, current: SafetyHit | null) =>
      !current || SEVERITY.indexOf(category) < SEVERITY.indexOf(current.category);
    for (const clause of splitClauses(text)) {
      const folded = tokens(normalizeText(clause.text));
      for (const phraseLang of this.index.keys()) {
        const views = phraseLang === lang ? [tokens(normalizeText(clause.text, phraseLang))] : [tokens(normalizeText(clause.text, phraseLang)), folded];
        for (const words of views) {
          for (const phrase of this.candidates(phraseLang, words)) {
            if (!outranks(phrase.category, real)) continue;
            const at = findPhrase(phrase.tokens, words);
            if (at < 0) continue;
            const isHypo = phrase.category !== "self_harm" && isHypothetical(words, at, clause.question);
            const hit = { category: phrase.category, intent: SAFETY_INTENT[phrase.category], phrase: phrase.source, lang: phrase.lang, hypothetical: isHypo };
            if (!isHypo) real = hit;
            else if (outranks(phrase.category, hypothetical)) hypothetical = hit;
          }
        }
      }
    }
    return real ?? hypothetical;
  }

  get size(): number {
    return this.phrases.length;
  }
}

/** Where the phrase first matches in the words, or -1. */
function findPhrase(phrase: TokenPattern[], words: string[]): number {
  for (let at = 0; at < words.length; at++) {
    if (matchFrom(phrase, 0, words, at)) return at;
  }
  return -1;
}

interface Clause {
  text: string;
  /** Ends with "?" or opens with "¿". */
  question: boolean;
}

/** Sentence-ish pieces of a message: split at . ! ? ; and line breaks (not inside numbers such as "3.000"). */
export function splitClauses(text: string): Clause[] {
  const clauses: Clause[] = [];
  const pattern = /([^.!?;\n]|\.(?=\d))+([.!?;\n]+|$)/gu;
  for (const match of text.slice(0, MAX_ANALYSED_CHARS).matchAll(pattern)) {
    const piece = match[0];
    if (piece.trim() === "") continue;
    clauses.push({ text: piece, question: piece.includes("?") || piece.trimStart().startsWith("¿") });
  }
  return clauses.length > 0 ? clauses : [{ text, question: false }];
}

/** "If" in the five languages (folded): es/fr/ht "si", en "if", pt "se"/"caso". */
const CONDITIONAL = new Set(["si", "if", "se", "caso"]);
/** Question words that open a question typed without "?" ("que pasa si me detienen", "sa k rive si…"). */
const QUESTION_OPENERS = new Set(["que", "what", "quoi", "qu", "quest", "kisa", "sa", "kiye", "o"]);

/**
 * A match preceded in its clause by "if/si/se" in a question is a hypothetical ("what if the guide leaves us?",
 * "que pasa si me detiene migracion"), not a report of what is happening. "si no me ayudan me matan" is not a
 * question: it stays real.
 */
function isHypothetical(words: string[], at: number, question: boolean): boolean {
  for (let i = 0; i < at; i++) {
    if (!CONDITIONAL.has(words[i]!)) continue;
    if (question) return true;
    const opener = words.slice(0, i);
    if (opener.length > 0 && opener.length <= 5 && QUESTION_OPENERS.has(opener[0]!)) return true;
  }
  return false;
}

/**
 * Normalises a pattern while keeping its operators (`*`, `|`, `~`) intact. Plain words get the language's SMS
 * expansion (so "m" in a Kreyòl phrase becomes "mwen", as it does in messages); alternatives and prefixes are
 * only folded, because a prefix of an abbreviation means nothing.
 */
function normalizePattern(pattern: string, lang: Lang): string {
  return pattern
    .trim()
    .split(/\s+/)
    .map((token) => {
      if (token === "~") return token;
      if (!token.includes("|") && !token.endsWith("*")) return normalizeText(token, lang);
      return token
        .split("|")
        .map((alt) => (alt.endsWith("*") ? `${foldText(alt.slice(0, -1)).replace(/ /g, "")}*` : foldText(alt).replace(/ /g, "")))
        .join("|");
    })
    .join(" ");
}
