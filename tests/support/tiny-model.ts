import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import protobuf from "protobufjs";
import { seededRandom } from "./random.js";

/**
 * A tiny BERT-like sentence-embedding model, generated for the tests (no model can be downloaded here): a
 * WordPiece tokenizer over the given words, and an ONNX graph that looks up each token's vector in an embedding
 * table and masks padding — `last_hidden_state` [batch, tokens, dim], exactly the output the real
 * sentence-transformers models give transformers.js, so the real loading, pooling and normalisation paths run.
 * Mean-pooled, it behaves like a bag of words with random word vectors: enough to tell intents apart.
 */

/** The part of onnx.proto the graph needs (field numbers as in onnx/onnx.proto). */
const ONNX = protobuf.Root.fromJSON({
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            ir_version: { type: "int64", id: 1 },
            producer_name: { type: "string", id: 2 },
            graph: { type: "GraphProto", id: 7 },
            opset_import: { rule: "repeated", type: "OperatorSetIdProto", id: 8 },
          },
        },
        OperatorSetIdProto: { fields: { domain: { type: "string", id: 1 }, version: { type: "int64", id: 2 } } },
        GraphProto: {
          fields: {
            node: { rule: "repeated", type: "NodeProto", id: 1 },
            name: { type: "string", id: 2 },
            initializer: { rule: "repeated", type: "TensorProto", id: 5 },
            input: { rule: "repeated", type: "ValueInfoProto", id: 11 },
            output: { rule: "repeated", type: "ValueInfoProto", id: 12 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: "repeated", type: "string", id: 1 },
            output: { rule: "repeated", type: "string", id: 2 },
            name: { type: "string", id: 3 },
            op_type: { type: "string", id: 4 },
            attribute: { rule: "repeated", type: "AttributeProto", id: 5 },
          },
        },
        AttributeProto: { fields: { name: { type: "string", id: 1 }, i: { type: "int64", id: 3 }, type: { type: "int32", id: 20 } } },
        TensorProto: {
          fields: {
            dims: { rule: "repeated", type: "int64", id: 1 },
            data_type: { type: "int32", id: 2 },
            name: { type: "string", id: 8 },
            raw_data: { type: "bytes", id: 9 },
          },
        },
        ValueInfoProto: { fields: { name: { type: "string", id: 1 }, type: { type: "TypeProto", id: 2 } } },
        TypeProto: { fields: { tensor_type: { type: "TensorTypeProto", id: 1 } } },
        TensorTypeProto: { fields: { elem_type: { type: "int32", id: 1 }, shape: { type: "TensorShapeProto", id: 2 } } },
        TensorShapeProto: { fields: { dim: { rule: "repeated", type: "Dimension", id: 1 } } },
        Dimension: { fields: { dim_value: { type: "int64", id: 1 }, dim_param: { type: "string", id: 2 } } },
      },
    },
  },
});

const FLOAT = 1;
const INT64 = 7;
const ATTRIBUTE_INT = 2;
const SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

function valueInfo(name: string, elemType: number, dims: (string | number)[]) {
  return {
    name,
    type: { tensor_type: { elem_type: elemType, shape: { dim: dims.map((d) => (typeof d === "number" ? { dim_value: d } : { dim_param: d })) } } },
  };
}

/** The ONNX bytes of the graph: Gather(table, input_ids) × Unsqueeze(Cast(attention_mask)) → last_hidden_state. */
export function tinyOnnx(vocabSize: number, dim: number, seed = 7): Uint8Array {
  const next = seededRandom(seed);
  const table = new Float32Array(vocabSize * dim).map(() => next() * 2 - 1);
  table.fill(0, 0, dim); // [PAD]
  const axes = new BigInt64Array([-1n]);
  const model = {
    ir_version: 8,
    producer_name: "brujula-tests",
    opset_import: [{ domain: "", version: 13 }],
    graph: {
      name: "tiny-bert",
      initializer: [
        { name: "embeddings", data_type: FLOAT, dims: [vocabSize, dim], raw_data: new Uint8Array(table.buffer) },
        { name: "axes", data_type: INT64, dims: [1], raw_data: new Uint8Array(axes.buffer) },
      ],
      node: [
        { op_type: "Gather", name: "lookup", input: ["embeddings", "input_ids"], output: ["tokens"] },
        { op_type: "Cast", name: "mask_float", input: ["attention_mask"], output: ["mask"], attribute: [{ name: "to", i: FLOAT, type: ATTRIBUTE_INT }] },
        { op_type: "Unsqueeze", name: "mask_3d", input: ["mask", "axes"], output: ["mask3"] },
        { op_type: "Mul", name: "masked", input: ["tokens", "mask3"], output: ["last_hidden_state"] },
      ],
      input: [valueInfo("input_ids", INT64, ["batch", "sequence"]), valueInfo("attention_mask", INT64, ["batch", "sequence"])],
      output: [valueInfo("last_hidden_state", FLOAT, ["batch", "sequence", dim])],
    },
  };
  const type = ONNX.lookupType("onnx.ModelProto");
  return type.encode(type.fromObject(model)).finish();
}

/** BERT's uncased normalisation, as the tokenizer does it: lower case, accents stripped. */
function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

export interface TinyModel {
  /** MODEL_DIR: the directory holding `<name>/`. */
  dir: string;
  /** The model's name, as EMBEDDINGS_MODEL gives it. */
  name: string;
  dim: number;
}

/** Writes the model's files (config, tokenizer, ONNX graph) under `dir/name`, as they are on the Hugging Face hub. */
export function writeTinyModel(dir: string, name: string, texts: readonly string[], options: { dim?: number; seed?: number } = {}): TinyModel {
  const dim = options.dim ?? 32;
  const words = [...new Set(texts.flatMap((t) => fold(t).match(/[\p{L}\p{N}]+/gu) ?? []))].sort();
  const vocab: Record<string, number> = {};
  for (const token of [...SPECIAL, ...words]) vocab[token] ??= Object.keys(vocab).length;
  const id = (token: string) => vocab[token]!;
  const root = join(dir, name);
  mkdirSync(join(root, "onnx"), { recursive: true });
  writeFileSync(
    join(root, "config.json"),
    JSON.stringify({ model_type: "bert", architectures: ["BertModel"], hidden_size: dim, vocab_size: Object.keys(vocab).length, max_position_embeddings: 512 }),
  );
  writeFileSync(
    join(root, "tokenizer_config.json"),
    JSON.stringify({ tokenizer_class: "BertTokenizer", do_lower_case: true, model_max_length: 128, cls_token: "[CLS]", sep_token: "[SEP]", pad_token: "[PAD]", unk_token: "[UNK]", mask_token: "[MASK]" }),
  );
  const special = (token: string) => ({ id: id(token), content: token, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  writeFileSync(
    join(root, "tokenizer.json"),
    JSON.stringify({
      version: "1.0",
      truncation: null,
      padding: null,
      added_tokens: SPECIAL.map(special),
      normalizer: { type: "BertNormalizer", clean_text: true, handle_chinese_chars: true, strip_accents: true, lowercase: true },
      pre_tokenizer: { type: "BertPreTokenizer" },
      post_processor: {
        type: "TemplateProcessing",
        single: [{ SpecialToken: { id: "[CLS]", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: "[SEP]", type_id: 0 } }],
        pair: [
          { SpecialToken: { id: "[CLS]", type_id: 0 } },
          { Sequence: { id: "A", type_id: 0 } },
          { SpecialToken: { id: "[SEP]", type_id: 0 } },
          { Sequence: { id: "B", type_id: 1 } },
          { SpecialToken: { id: "[SEP]", type_id: 1 } },
        ],
        special_tokens: {
          "[CLS]": { id: "[CLS]", ids: [id("[CLS]")], tokens: ["[CLS]"] },
          "[SEP]": { id: "[SEP]", ids: [id("[SEP]")], tokens: ["[SEP]"] },
        },
      },
      decoder: { type: "WordPiece", prefix: "##", cleanup: true },
      model: { type: "WordPiece", unk_token: "[UNK]", continuing_subword_prefix: "##", max_input_chars_per_word: 100, vocab },
    }),
  );
  writeFileSync(join(root, "onnx", "model.onnx"), tinyOnnx(Object.keys(vocab).length, dim, options.seed));
  return { dir, name, dim };
}
