import { getLIDModel, type IdentifyLangResult } from "fasttext.wasm.js";
import type { LanguageOracle } from "../core/language/detect.js";

/**
 * fastText's lid.176 (shipped inside the npm package, WebAssembly) as the language detector's second opinion.
 * Strong for es/en/fr/pt and for noticing other languages; blind to Haitian Creole, which our own model handles.
 */
export async function loadFastTextOracle(): Promise<LanguageOracle> {
  const model = await getLIDModel();
  await model.load();
  return {
    async identify(text: string) {
      // fastText reads one line; newlines would end the input early.
      const results: IdentifyLangResult[] = await model.identify(text.replace(/\s+/g, " ").slice(0, 1000), 5);
      return results.map((r) => ({ code: r.alpha2, probability: r.possibility }));
    },
  };
}
