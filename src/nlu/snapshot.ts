import type { IntentId } from "../core/intents.js";
import type { LanguageModelState } from "../core/language/ngram-model.js";
import type { Lang } from "../core/languages.js";
import type { PostingsState } from "./intent-index.js";

/**
 * Everything the built-in matcher learns from the catalogue — the embedder's frequencies, the language model,
 * the inverted index of every example's vector — in one binary file, written by `npm run build:index` and loaded by the Worker instead of
 * training at its first request. Loading gives exactly the numbers training would (float64 and float32 stored as
 * they are). A fingerprint of the catalogue it was built from guards against a stale file.
 *
 * Layout: "BRJX2", u32 header length, the header as JSON, then 8-byte aligned sections: idf hashes (u32), idf
 * values (f64), language log-probabilities (f64), unseen log-probabilities (f64), posting dimensions (u32), list
 * offsets (u32), examples (u32), weights (f32).
 */
export interface IndexSnapshot {
  fingerprint: string;
  embedderId: string;
  embedder: { hashes: Uint32Array; idf: Float64Array; unseenIdf: number };
  language: LanguageModelState;
  examples: { intent: IntentId | null; lang: Lang }[];
  postings: PostingsState;
}

const MAGIC = "BRJX2";

/** The snapshot's file name among the Worker's static assets (written by `npm run build:index`). */
export const SNAPSHOT_ASSET = "brujula-index.bin";

interface Header {
  fingerprint: string;
  embedderId: string;
  unseenIdf: number;
  features: string[];
  examples: [IntentId | null, Lang][];
  sizes: { hashes: number; features: number; unseen: number; dims: number; nnz: number };
}

const pad8 = (n: number) => (n + 7) & ~7;

export function encodeSnapshot(s: IndexSnapshot): Uint8Array {
  const nnz = s.postings.example.length;
  const header: Header = {
    fingerprint: s.fingerprint,
    embedderId: s.embedderId,
    unseenIdf: s.embedder.unseenIdf,
    features: s.language.features,
    examples: s.examples.map((e) => [e.intent, e.lang]),
    sizes: { hashes: s.embedder.hashes.length, features: s.language.features.length, unseen: s.language.unseen.length, dims: s.postings.dims.length, nnz },
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const sections: ArrayBufferView[] = [
    s.embedder.hashes,
    s.embedder.idf,
    s.language.logProb,
    s.language.unseen,
    s.postings.dims,
    s.postings.offsets,
    s.postings.example,
    s.postings.weight,
  ];
  let size = pad8(MAGIC.length + 4 + json.length);
  for (const section of sections) size += pad8(section.byteLength);
  const out = new Uint8Array(size);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(MAGIC.length, json.length, true);
  out.set(json, MAGIC.length + 4);
  let at = pad8(MAGIC.length + 4 + json.length);
  for (const section of sections) {
    out.set(new Uint8Array(section.buffer, section.byteOffset, section.byteLength), at);
    at += pad8(section.byteLength);
  }
  return out;
}

export class SnapshotError extends Error {}

export function decodeSnapshot(input: ArrayBuffer | Uint8Array): IndexSnapshot {
  // Typed arrays need aligned offsets: work on a buffer of our own that starts at 0.
  const bytes = input instanceof Uint8Array ? input.slice() : new Uint8Array(input);
  const buffer = bytes.buffer;
  if (new TextDecoder().decode(bytes.subarray(0, MAGIC.length)) !== MAGIC) throw new SnapshotError("not a Brújula index snapshot");
  const jsonLength = new DataView(buffer).getUint32(MAGIC.length, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(MAGIC.length + 4, MAGIC.length + 4 + jsonLength))) as Header;
  let at = pad8(MAGIC.length + 4 + jsonLength);
  const take = <T>(Kind: { new (b: ArrayBuffer, o: number, n: number): T; BYTES_PER_ELEMENT: number }, n: number): T => {
    if (at + n * Kind.BYTES_PER_ELEMENT > buffer.byteLength) throw new SnapshotError("truncated snapshot");
    const view = new Kind(buffer, at, n);
    at += pad8(n * Kind.BYTES_PER_ELEMENT);
    return view;
  };
  const { sizes } = header;
  const hashes = take(Uint32Array, sizes.hashes);
  const idf = take(Float64Array, sizes.hashes);
  const logProb = take(Float64Array, sizes.features * sizes.unseen);
  const unseen = take(Float64Array, sizes.unseen);
  const dims = take(Uint32Array, sizes.dims);
  const offsets = take(Uint32Array, sizes.dims + 1);
  const example = take(Uint32Array, sizes.nnz);
  const weight = take(Float32Array, sizes.nnz);
  if (offsets[sizes.dims] !== sizes.nnz || example.some((e) => e >= header.examples.length)) throw new SnapshotError("inconsistent snapshot");
  return {
    fingerprint: header.fingerprint,
    embedderId: header.embedderId,
    embedder: { hashes, idf, unseenIdf: header.unseenIdf },
    language: { features: header.features, logProb, unseen },
    examples: header.examples.map(([intent, lang]) => ({ intent, lang })),
    postings: { dims, offsets, example, weight },
  };
}

/** FNV-1a over the texts, twice with different seeds: cheap, synchronous, the same on every runtime. */
export function fingerprint(texts: Iterable<string>): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (const text of texts) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 13);
    }
    a = Math.imul(a ^ 0x1f, 0x01000193);
    b = Math.imul(b ^ 0x1e, 0x01000193);
  }
  return `${(a >>> 0).toString(16).padStart(8, "0")}${(b >>> 0).toString(16).padStart(8, "0")}`;
}
