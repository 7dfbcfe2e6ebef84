import { loadIntentFiles } from "../../src/catalog/files.js";
import { writeTinyModel } from "./tiny-model.js";

/**
 * `npm run model:tiny -- DIR`: writes the tests' tiny model (brujula-test/tiny-bert) into DIR, so anyone can rerun
 * the neural figures of the README without a downloaded model:
 * `EMBEDDINGS_MODEL=brujula-test/tiny-bert MODEL_DIR=DIR npm run bench`.
 */
const dir = process.argv[2];
if (!dir) {
  console.error("usage: npm run model:tiny -- DIR");
  process.exit(2);
}
const texts = loadIntentFiles().flatMap((f) => Object.values(f.examples).flat());
const model = writeTinyModel(dir, "brujula-test/tiny-bert", texts);
console.log(`wrote ${model.name} (${model.dim} dimensions) under ${dir}`);
