import type { ContentEntry, CountryFacts } from "./core/content.js";
import { ContentLibrary } from "./core/content.js";
import { checkContent, ContentCheckError, todayIso, type Problem } from "./core/content-check.js";
import type { Schedule } from "./core/availability.js";
import { Engine } from "./core/engine/engine.js";
import { createTranslator, messageEntries, MESSAGES } from "./core/i18n/index.js";
import { checkCatalogue, type IntentFile } from "./core/intent-examples.js";
import { Interpreter } from "./core/interpret.js";
import { LanguageDetector, type LanguageOracle } from "./core/language/detect.js";
import { NgramLanguageModel, type LanguageSample } from "./core/language/ngram-model.js";
import { LANGS, type Lang } from "./core/languages.js";
import type { Embedder } from "./core/ports.js";
import { SAFETY_PHRASES } from "./core/safety/phrases/index.js";
import { SafetyScreen } from "./core/safety/screen.js";
import { BuiltinEmbedder, BUILTIN_VERSION } from "./nlu/builtin-embedder.js";
import { calibrationFor, type Calibration } from "./nlu/calibration.js";
import { HybridEmbedder } from "./nlu/hybrid-embedder.js";
import { IntentIndex, type IndexCache, type IndexSource, type IntentExample } from "./nlu/intent-index.js";
import { fingerprint, type IndexSnapshot } from "./nlu/snapshot.js";
import type { MatchThresholds } from "./core/matcher.js";

/**
 * Assembles Brújula's brain from its data (intent examples and vetted content): language model, safety screen,
 * intent index, interpreter and engine. Runtime-agnostic: Node reads the data from disk, Workers from a bundle.
 */
export interface Catalogue {
  intents: IntentFile[];
  content: ContentEntry[];
  /** Each country's sourced phone numbers. */
  countries?: CountryFacts[] | undefined;
  /** Counter-examples of messages Brújula does not answer, per language (optional). */
  outOfScope?: Partial<Record<Lang, string[]>> | undefined;
}

export interface AssistantOptions {
  /** Defaults to the built-in embedder fitted on the intent examples. */
  embedder?: Embedder;
  /**
   * A neural sentence-embedding model: matching becomes hybrid, `neuralWeight` of its similarity plus the rest
   * of the built-in lexical similarity.
   */
  neural?: (Embedder & { readonly dimension: number }) | undefined;
  neuralWeight?: number | undefined;
  /** Keeps the example embeddings between restarts (for slow embedders). */
  indexCache?: IndexCache | undefined;
  /** Thresholds measured for embedders outside the built-in table (`npm run calibrate`). */
  measuredThresholds?: Record<string, MatchThresholds> | undefined;
  /** A second-opinion language detector (fastText on Node). */
  oracle?: LanguageOracle;
  /** Caseworkers' working hours, for the handoff reply. */
  schedule?: Schedule | undefined;
  /** The date review deadlines are checked against (today by default). */
  now?: Date | undefined;
  /** The content was checked when the bundle was built (`npm run build:index`): the Worker does not repeat it. */
  contentChecked?: boolean | undefined;
  /** What the built-in matcher learned, built ahead (`npm run build:index`): used when it matches the catalogue. */
  snapshot?: IndexSnapshot | undefined;
}

/** Which embedder the assistant runs, and why: said in the start-up log and in /health. */
export interface EmbeddingChoice {
  mode: "auto" | "builtin" | "transformers";
  active: "builtin" | "hybrid";
  model?: string | undefined;
  /** Why the built-in embedder runs in `auto` mode (model absent or broken). */
  reason?: string | undefined;
}

export interface Assistant {
  engine: Engine;
  interpreter: Interpreter;
  index: IntentIndex;
  /** The matcher's embedder: what groups unanswered questions by meaning (src/nlu/question-groups.ts). */
  embedder: Embedder;
  content: ContentLibrary;
  embedderId: string;
  /** The decision thresholds in use, and whether they were measured for this embedder. */
  calibration: Calibration;
  /** Whether the example embeddings came from the cache (or, for the built-in matcher, a snapshot). */
  indexSource: IndexSource | "snapshot";
  /** Set by the runtime that chose the embedder (Node reads EMBEDDINGS). */
  embeddings?: EmbeddingChoice | undefined;
  /** What the content check found that does not stop serving (reviews past due, sources to look at again). */
  contentWarnings: Problem[];
  /** How long building took, in milliseconds, for /health and the benchmark. */
  buildMs: number;
}

export class CatalogueError extends Error {
  constructor(problems: string[]) {
    super(`The intent catalogue is incomplete:\n- ${problems.join("\n- ")}`);
    this.name = "CatalogueError";
  }
}

export function intentExamples(files: readonly IntentFile[]): IntentExample[] {
  return files.flatMap((file) => LANGS.flatMap((lang) => file.examples[lang].map((text) => ({ intent: file.id, lang, text }))));
}

function catalogueExamples(catalogue: Catalogue): IntentExample[] {
  const counterExamples = LANGS.flatMap((lang) => (catalogue.outOfScope?.[lang] ?? []).map((text) => ({ intent: null, lang, text })));
  return [...intentExamples(catalogue.intents), ...counterExamples];
}

/** What the built-in matcher learns from: every example and every text the language model reads, in order. */
function snapshotFingerprint(samples: readonly LanguageSample[]): string {
  return fingerprint((function* () {
    yield BUILTIN_VERSION;
    for (const s of samples) yield `${s.lang}\u0000${s.text}`;
  })());
}

/** Learns the built-in matcher from the catalogue, for `npm run build:index` (see nlu/snapshot.ts). */
export async function buildSnapshot(catalogue: Catalogue): Promise<IndexSnapshot> {
  const examples = catalogueExamples(catalogue);
  const samples = languageSamples(examples, catalogue.content);
  const embedder = BuiltinEmbedder.fit(examples);
  const index = await IntentIndex.build(embedder, examples);
  return {
    fingerprint: snapshotFingerprint(samples),
    embedderId: embedder.id,
    embedder: embedder.state(),
    language: new NgramLanguageModel(samples).state(),
    examples: examples.map((e) => ({ intent: e.intent, lang: e.lang })),
    postings: index.postingsState(),
  };
}

/** The language model learns from everything the project has written in each language. */
function languageSamples(examples: readonly IntentExample[], content: readonly ContentEntry[]): LanguageSample[] {
  const strings = LANGS.flatMap((lang) => messageEntries(MESSAGES[lang]).map(([, text]) => ({ lang, text })));
  const bodies = content.map((entry) => ({ lang: entry.lang, text: `${entry.title} ${entry.body}` }));
  return [...examples, ...strings, ...bodies];
}

export async function createAssistant(catalogue: Catalogue, options: AssistantOptions = {}): Promise<Assistant> {
  const started = performance.now();
  const problems = checkCatalogue(catalogue.intents);
  if (problems.length > 0) throw new CatalogueError(problems);
  const translator = createTranslator();
  // A broken answer fails start-up with the file and the problem: never a half-working bot.
  const contentProblems = options.contentChecked ? [] : checkContent(catalogue.content, catalogue.countries ?? [], { translator, today: todayIso(options.now) });
  const contentErrors = contentProblems.filter((p) => p.level === "error");
  if (contentErrors.length > 0) throw new ContentCheckError(contentErrors);
  const examples = catalogueExamples(catalogue);
  const samples = languageSamples(examples, catalogue.content);
  const snapshot = options.snapshot && !options.neural && !options.embedder && options.snapshot.fingerprint === snapshotFingerprint(samples) ? options.snapshot : undefined;
  let embedder: Embedder;
  let index: IntentIndex;
  let language: NgramLanguageModel;
  if (snapshot) {
    // Learned ahead of time from this very catalogue: loading, not training.
    embedder = BuiltinEmbedder.fromState(snapshot.embedder);
    index = IntentIndex.fromPostings(embedder, examples, snapshot.postings);
    language = NgramLanguageModel.fromState(snapshot.language);
  } else {
    const lexical = options.embedder ?? BuiltinEmbedder.fit(examples);
    embedder = options.neural ? new HybridEmbedder(options.neural, lexical, options.neuralWeight ?? 0.5) : lexical;
    index = await IntentIndex.build(embedder, examples, options.indexCache);
    language = new NgramLanguageModel(samples);
  }
  const detector = new LanguageDetector(language, options.oracle);
  // The safety screen stands before the matcher whatever the embedder.
  const calibration = calibrationFor(embedder.id, options.measuredThresholds);
  const interpreter = new Interpreter(detector, new SafetyScreen(SAFETY_PHRASES), index, calibration.thresholds);
  const content = new ContentLibrary(catalogue.content, catalogue.countries);
  const engine = new Engine({ interpreter, content, translator, schedule: options.schedule });
  const contentWarnings = contentProblems.filter((p) => p.level === "warning");
  return {
    engine,
    interpreter,
    index,
    embedder,
    content,
    embedderId: embedder.id,
    calibration,
    indexSource: snapshot ? "snapshot" : index.source,
    contentWarnings,
    buildMs: performance.now() - started,
  };
}
