import { z } from "zod";
import { INTENT_IDS, type IntentId } from "./intents.js";
import { LANGS, type Lang } from "./languages.js";

/** The example files of `intents/`: one per intent, examples per language. Parsing is pure (Node and Workers). */
export const MIN_EXAMPLES_PER_LANGUAGE = 15;

const intentFileSchema = z.object({
  id: z.enum(INTENT_IDS),
  description: z.string().min(10),
  examples: z.object(
    Object.fromEntries(LANGS.map((l) => [l, z.array(z.string().trim().min(1)).min(MIN_EXAMPLES_PER_LANGUAGE)])) as Record<
      Lang,
      z.ZodArray<z.ZodString>
    >,
  ),
});

export interface IntentFile {
  id: IntentId;
  description: string;
  examples: Record<Lang, string[]>;
}

export class IntentFileError extends Error {
  constructor(origin: string, problem: string) {
    super(`${origin}: ${problem}`);
    this.name = "IntentFileError";
  }
}

export function parseIntentFile(origin: string, json: string): IntentFile {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new IntentFileError(origin, `not valid JSON: ${(error as Error).message}`);
  }
  const parsed = intentFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new IntentFileError(origin, parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  }
  return parsed.data as IntentFile;
}

/** Checks that the catalogue is complete: exactly one file per intent ID. */
export function checkCatalogue(files: readonly IntentFile[]): string[] {
  const problems: string[] = [];
  const seen = new Set<IntentId>();
  for (const file of files) {
    if (seen.has(file.id)) problems.push(`intent ${file.id} is defined twice`);
    seen.add(file.id);
  }
  for (const id of INTENT_IDS) if (!seen.has(id)) problems.push(`intent ${id} has no file in intents/`);
  return problems;
}

/**
 * Counter-examples: messages Brújula does not answer (intents/out-of-scope.json). The matcher falls back to the
 * menu when a message is closer to them than to any topic.
 */
export const OUT_OF_SCOPE_FILE = "out-of-scope.json";
export const MIN_OUT_OF_SCOPE_PER_LANGUAGE = 10;

const outOfScopeSchema = z.object({
  id: z.literal("out_of_scope"),
  description: z.string().min(10),
  examples: z.object(
    Object.fromEntries(LANGS.map((l) => [l, z.array(z.string().trim().min(1)).min(MIN_OUT_OF_SCOPE_PER_LANGUAGE)])) as Record<
      Lang,
      z.ZodArray<z.ZodString>
    >,
  ),
});

export function parseOutOfScopeFile(origin: string, json: string): Record<Lang, string[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new IntentFileError(origin, `not valid JSON: ${(error as Error).message}`);
  }
  const parsed = outOfScopeSchema.safeParse(raw);
  if (!parsed.success) {
    throw new IntentFileError(origin, parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  }
  return parsed.data.examples as Record<Lang, string[]>;
}
