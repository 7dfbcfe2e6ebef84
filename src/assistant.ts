import type { ContentEntry } from "./core/content.js";
import { ContentLibrary } from "./core/content.js";
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
import { BuiltinEmbedder } from "./nlu/builtin-embedder.js";
import { thresholdsFor } from "./nlu/calibration.js";
import { IntentIndex, type IntentExample } from "./nlu/intent-index.js";

/**
 * Assembles Brújula's brain from its data (intent examples and vetted content): language model, safety screen,
 * intent index, interpreter and engine. Runtime-agnostic: Node reads the data from disk, Workers from a bundle.
 */
export interface Catalogue {
  intents: IntentFile[];
  content: ContentEntry[];
  /** Counter-examples of messages Brújula does not answer, per language (optional). */
  outOfScope?: Partial<Record<Lang, string[]>> | undefined;
}

export interface AssistantOptions {
  /** Defaults to the built-in embedder fitted on the intent examples. */
  embedder?: Embedder;
  /** A second-opinion language detector (fastText on Node). */
  oracle?: LanguageOracle;
  /** Caseworkers' working hours, for the handoff reply. */
  schedule?: Schedule | undefined;
}

export interface Assistant {
  engine: Engine;
  interpreter: Interpreter;
  index: IntentIndex;
  content: ContentLibrary;
  embedderId: string;
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
  const counterExamples = LANGS.flatMap((lang) => (catalogue.outOfScope?.[lang] ?? []).map((text) => ({ intent: null, lang, text })));
  const examples = [...intentExamples(catalogue.intents), ...counterExamples];
  const embedder = options.embedder ?? BuiltinEmbedder.fit(examples);
  const index = await IntentIndex.build(embedder, examples);
  const detector = new LanguageDetector(new NgramLanguageModel(languageSamples(examples, catalogue.content)), options.oracle);
  const interpreter = new Interpreter(detector, new SafetyScreen(SAFETY_PHRASES), index, thresholdsFor(embedder.id));
  const content = new ContentLibrary(catalogue.content);
  const engine = new Engine({ interpreter, content, translator: createTranslator(), schedule: options.schedule });
  return { engine, interpreter, index, content, embedderId: embedder.id, buildMs: performance.now() - started };
}
